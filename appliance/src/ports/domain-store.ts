import type { RRset } from '../domain/dns/index.js';

/** A claim on a domain by an IMVU: the TXT token it must publish, and whether it verified. */
export interface DomainClaim {
  readonly domain: string;
  readonly imvu: string;
  readonly token: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly verifiedAt?: string;
}

/** A domain bound to an IMVU and served by our knotd, with the state the ledger says it holds. */
export interface BoundDomain {
  readonly domain: string;
  readonly imvu: string;
  readonly boundAt: string;
  /** The owner-managed RRsets, canonical (domain/dns normalizeState). */
  readonly rrsets: readonly RRset[];
  /** stateDigest of `rrsets`: the `after` of the zone's last dns_change entry. */
  readonly digest: string;
}

/**
 * A change sent to Knot whose ledger entry is not yet known to be durable. Written before
 * the UPDATE and cleared with the entry, so start-up can tell the crash window between the
 * two (Knot changed, ledger not) from an out-of-band edit.
 */
export interface PendingDnsChange {
  readonly domain: string;
  /** The idempotency key of the change's dns_change entry. */
  readonly dedupe: string;
  readonly rrsets: readonly RRset[];
  readonly digest: string;
}

/** The writes of one change; applied together or not at all. */
export interface DomainWriter {
  bind(d: BoundDomain): void;
  setState(domain: string, rrsets: readonly RRset[], digest: string): void;
  unbind(domain: string): void;
  /** Removes every claim on `domain` (it is bound now, or gone). */
  dropClaims(domain: string): void;
  clearPending(domain: string): void;
}

/** Claims, bindings and pending changes of the DNS service. */
export interface DomainStore {
  claim(domain: string, imvu: string): DomainClaim | undefined;
  /** Records a new claim (replacing an earlier one by the same IMVU). */
  putClaim(c: DomainClaim): void;
  markVerified(domain: string, imvu: string, at: string): void;
  domain(domain: string): BoundDomain | undefined;
  /** Domains bound to `imvu`, by name. */
  domainsOf(imvu: string): BoundDomain[];
  /** Every bound domain, by name. */
  all(): BoundDomain[];
  /** Domains `imvu` may bind or change: bound to it, or with a verified claim not yet expired at `now`. */
  verifiedFor(imvu: string, now: string): string[];
  pending(domain: string): PendingDnsChange | undefined;
  setPending(p: PendingDnsChange): void;
  /** Applies `write` in a transaction, awaits `durable`, then commits; rolls back if either throws. */
  change<T>(write: (w: DomainWriter) => void, durable: () => Promise<T>): Promise<T>;
  close(): void;
}
