import type { Identity, Imvu } from '@nexus-cos/sdk';

type IdentityStatus = Identity['status'];
type ImvuStatus = Imvu['status'];
type ImvuQuotas = Imvu['quotas'];

/** A registered key and its lifecycle (gate 16). */
export interface IdentityRecord {
  readonly did: string;
  readonly status: IdentityStatus;
  /** Set when rotated: the key that replaced this one. */
  readonly successor?: string;
  readonly recoveryKeys: readonly string[];
  readonly jurisdiction: string;
  readonly createdAt: string;
  readonly statusChangedAt?: string;
}

/** An IMVU as the registry holds it; resources live in their own registries. */
export interface ImvuRecord {
  readonly id: string;
  readonly owner: string;
  readonly jurisdiction: string;
  readonly status: ImvuStatus;
  readonly quotas: ImvuQuotas;
  readonly storagePool: string;
  readonly createdAt: string;
}

/** One consent, granted and perhaps withdrawn (gate 10); history is kept, never rewritten. */
export interface ConsentRecord {
  readonly imvu: string;
  readonly purpose: string;
  readonly grantedBy: string;
  readonly grantedAt: string;
  readonly withdrawnAt?: string;
}

/** A legal hold on exit in force (gate 15): the operator's signed reason, by digest of its envelope. */
export interface LegalHoldRecord {
  readonly imvu: string;
  readonly reason: string;
  readonly signedBy: string;
  /** SHA-256 hex of the canonical LegalHold envelope (kept as a ledger document). */
  readonly envelopeDigest: string;
  readonly placedAt: string;
}

/** A delegation the owner signed: `delegate` may act within `scopes` (action prefixes). */
export interface DelegationRecord {
  readonly delegate: string;
  readonly scopes: readonly string[];
}

/** The writes of one registry change; applied together or not at all. */
export interface RegistryWriter {
  insertIdentity(r: IdentityRecord): void;
  /** Replaces the mutable fields of an identity. */
  updateIdentity(did: string, patch: Pick<IdentityRecord, 'status' | 'recoveryKeys'> & Partial<Pick<IdentityRecord, 'successor' | 'statusChangedAt'>>): void;
  insertImvu(r: ImvuRecord): void;
  updateImvu(id: string, patch: Partial<Pick<ImvuRecord, 'owner' | 'jurisdiction' | 'status' | 'quotas'>>): void;
  grantConsent(c: ConsentRecord): void;
  /** Ends the active consent for `purpose`. */
  withdrawConsent(imvu: string, purpose: string, at: string): void;
  /** Moves every delegation held by `from` to `to` (a key rotation). */
  moveDelegations(from: string, to: string): void;
  /** Places a legal hold; a second one while one is in force is refused by the store. */
  placeHold(h: LegalHoldRecord): void;
  /** Ends the hold in force on `imvu`. */
  releaseHold(imvu: string, at: string, by: string): void;
}

/**
 * The state of identities and IMVUs. Reads see only committed state. A change is made in
 * one transaction that commits only after the caller's durable step (the ledger append of
 * the effect) succeeded, so a change and its ledger record stand or fall together.
 */
export interface Registry {
  identity(did: string): IdentityRecord | undefined;
  imvu(id: string): ImvuRecord | undefined;
  /** Every IMVU, in id order. */
  imvus(): ImvuRecord[];
  /** IMVUs `did` owns or holds a delegation on, in id order. */
  imvusVisibleTo(did: string): ImvuRecord[];
  /** Every consent of an IMVU, in grant order, withdrawn ones included. */
  consents(imvu: string): ConsentRecord[];
  /** Scopes delegated on `imvu` to `delegate`. */
  delegation(imvu: string, delegate: string): string[];
  /** Every delegation on `imvu`, by delegate. */
  delegations(imvu: string): DelegationRecord[];
  /** The legal hold in force on `imvu`, if any (gate 15). */
  legalHold(imvu: string): LegalHoldRecord | undefined;
  /** The id the next IMVU will get: IMVU-001, IMVU-002, ... */
  nextImvuId(): string;
  /**
   * Applies `write` in a transaction, awaits `durable`, then commits; rolls back if either
   * throws. Changes must not overlap: the caller serialises them.
   */
  change<T>(write: (w: RegistryWriter) => void, durable: () => Promise<T>): Promise<T>;
  close(): void;
}
