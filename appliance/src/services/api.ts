import type { Envelope, Identity, Imvu, LedgerSlice, TrustedRoot, InclusionProof, ConsistencyProof } from '@nexus-cos/sdk';
import type { RequestProof } from '../domain/gates/types.js';

/**
 * The application services the HTTP routes (and tests) call. Every mutating method builds
 * a GateRequest and passes the gatekeeper before any effect; reads check who may see what.
 * This file is the contract between the HTTP layer and the services.
 */

/** An authenticated caller: the did:key that signed the request and what verifying it established. */
export interface Caller {
  readonly actor: string;
  readonly proof: RequestProof;
}

/** Identity registration: the request signature by `actor` is the proof of possession. */
export interface RegisterIdentity {
  readonly jurisdiction: string;
  /** Purposes consented to at registration; must include `identity.attributes` (gate 10). */
  readonly consents: readonly string[];
  readonly recoveryKeys?: readonly string[];
}

/** Identities: register, rotate, revoke, recovery keys (gate 16). */
export interface IdentityService {
  register(c: Caller, body: RegisterIdentity): Promise<Identity>;
  /** `rotation` is a KeyRotation envelope signed by the old key or a registered recovery key. */
  rotate(c: Caller, rotation: Envelope): Promise<Identity>;
  revoke(c: Caller, reason: string): Promise<Identity>;
  addRecovery(c: Caller, recoveryKey: string): Promise<Identity>;
  get(did: string): Identity | undefined;
}

/** Creating an IMVU: the caller becomes its owner. */
export interface CreateImvu {
  readonly jurisdiction: string;
  readonly consents: readonly string[];
  readonly storagePool?: string;
  readonly quotas?: Imvu['quotas'];
}

/** IMVUs: lifecycle, with operator actions that need a reason and leave a notice first. */
export interface ImvuService {
  create(c: Caller, body: CreateImvu): Promise<Imvu>;
  get(c: Caller, id: string): Imvu;
  list(c: Caller): Imvu[];
  update(c: Caller, id: string, patch: { readonly jurisdiction?: string }): Promise<Imvu>;
  suspend(c: Caller, id: string, reason: string): Promise<Imvu>;
  resume(c: Caller, id: string, reason: string): Promise<Imvu>;
  changeQuota(c: Caller, id: string, quotas: Imvu['quotas'], reason: string): Promise<Imvu>;
  grantConsent(c: Caller, id: string, purpose: string): Promise<Imvu>;
  withdrawConsent(c: Caller, id: string, purpose: string): Promise<Imvu>;
}

/** Public, read-only ledger evidence: anyone may verify. */
export interface LedgerReadService {
  trustedRoot(): TrustedRoot;
  checkpoint(): string;
  slice(c: Caller, imvu: string): LedgerSlice;
  inclusion(index: number): InclusionProof;
  consistency(oldSize: number, newSize: number): ConsistencyProof;
}
