import type { GateResult } from '@nexus-cos/sdk';

/** Who is asking, as the gates classify them against the target IMVU. */
export type Role = 'owner' | 'delegate' | 'stranger' | 'operator' | 'platform';

/**
 * What the request verifier established about the request itself (gate 1). The HTTP layer
 * fills it after checking the signature strictly; the gates only judge these facts.
 */
export interface RequestProof {
  /** The signature over the request verified under `actor`'s key. */
  readonly signatureValid: boolean;
  /** Request creation and expiry, ms since the epoch (from the signed request). */
  readonly created: number;
  readonly expires: number;
  /** The nonce was already seen within its validity window. */
  readonly replayed: boolean;
}

/**
 * One mutating action, described as (actor, action, resource, context). Everything the
 * gates judge is here or in GateFacts; nothing else may influence a decision.
 */
export interface GateRequest {
  readonly action: string;
  /** did:key of the identity making the request. */
  readonly actor: string;
  /** Typed resource name, e.g. `imvu:IMVU-042`, `domain:example.org`, `vm:IMVU-042/web-1`. */
  readonly resource: string;
  /** The IMVU the resource belongs to (absent only for platform-global actions). */
  readonly imvu?: string;
  readonly proof: RequestProof;
  /** Why (gates 12, 13, 15 require one for operator changes and legal holds). */
  readonly reason?: string;
  /** Jurisdiction of a resource being created (gate 9); ISO 3166-1 alpha-2[-subdivision]. */
  readonly jurisdiction?: string;
  /** Storage pool the action writes data to (gate 14). */
  readonly storagePool?: string;
  /** Action-specific parameters the gates read (split, records, addresses...). */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** An IMVU as the gates see it. */
export interface ImvuFacts {
  readonly id: string;
  readonly owner: string;
  readonly jurisdiction: string;
  readonly status: 'active' | 'suspended' | 'exiting' | 'exited';
  /** Purposes with an active (signed, not withdrawn) consent. */
  readonly consents: readonly string[];
  /** A legal hold on exit, with its signed reason (gate 15). */
  readonly legalHold?: { readonly reason: string; readonly signedBy: string; readonly envelopeDigest: string };
  /** Domains bound after a verified challenge (gate 6). */
  readonly verifiedDomains: readonly string[];
  /** Domains whose DKIM, SPF and DMARC records are published (gate 8). */
  readonly mailReadyDomains: readonly string[];
  /** Mailboxes bound to this IMVU (gate 8). */
  readonly mailboxes: readonly string[];
}

/**
 * The state the gates read, assembled by the service layer from the registries, the
 * ledger and the adapters. Functions, so only what a gate needs is ever looked up.
 */
export interface GateFacts {
  /** Current time, ms since the epoch. */
  readonly now: number;
  /** did:key of the platform key. */
  readonly platform: string;
  /** did:keys allowed to act as operator. */
  readonly operators: readonly string[];
  /** Lifecycle status of a key; `unknown` when never registered. */
  keyStatus(did: string): 'active' | 'rotated' | 'revoked' | 'unknown';
  /** The IMVU, if it exists. */
  imvu(id: string): ImvuFacts | undefined;
  /** Scopes (action prefixes) the owner has delegated to `delegate`, signed by the owner. */
  delegation(imvu: string, delegate: string): readonly string[];
  /** Gate 5: the ledger verified and is writable. */
  readonly ledgerHealthy: boolean;
  /** Gate 4: a signing meter is attached to this resource. */
  meterAttached(resource: string): boolean;
  /** Gate 14: jurisdiction tag of a storage pool, if the pool exists. */
  storageJurisdiction(pool: string): string | undefined;
}

/** One compliance gate: where it applies and how it judges. Pure. */
export interface Gate {
  readonly id: number;
  readonly name: string;
  /** Judges one request; returns `not_applicable` itself when the action is outside its scope. */
  evaluate(req: GateRequest, facts: GateFacts, role: Role): GateResult;
}
