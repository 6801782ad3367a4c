import Database from 'better-sqlite3';
import { DurableChange } from './durable-change.js';
import type { RRset } from '../../domain/dns/index.js';
import type { BoundDomain, DomainClaim, DomainStore, DomainWriter, PendingDnsChange } from '../../ports/domain-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS claims (
  domain TEXT NOT NULL, imvu TEXT NOT NULL, token TEXT NOT NULL,
  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, verified_at TEXT,
  PRIMARY KEY (domain, imvu)
) STRICT;
CREATE TABLE IF NOT EXISTS domains (
  domain TEXT PRIMARY KEY, imvu TEXT NOT NULL, bound_at TEXT NOT NULL, rrsets TEXT NOT NULL, digest TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS domains_imvu ON domains (imvu);
CREATE TABLE IF NOT EXISTS pending (
  domain TEXT PRIMARY KEY, dedupe TEXT NOT NULL, rrsets TEXT NOT NULL, digest TEXT NOT NULL
) STRICT;
`;

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

type ClaimRow = { domain: string; imvu: string; token: string; created_at: string; expires_at: string; verified_at: string | null };
type DomainRow = { domain: string; imvu: string; bound_at: string; rrsets: string; digest: string };
type PendingRow = { domain: string; dedupe: string; rrsets: string; digest: string };

const claimOf = (r: ClaimRow): DomainClaim => ({
  domain: r.domain, imvu: r.imvu, token: r.token, createdAt: r.created_at, expiresAt: r.expires_at, ...(r.verified_at === null ? {} : { verifiedAt: r.verified_at }),
});
const domainOf = (r: DomainRow): BoundDomain => ({ domain: r.domain, imvu: r.imvu, boundAt: r.bound_at, rrsets: JSON.parse(r.rrsets) as RRset[], digest: r.digest });

/**
 * The DNS service's state in SQLite (WAL, synchronous=FULL), like the registry: a change
 * holds its transaction on the writer until the ledger made its entries durable; reads go
 * through a second connection and see committed state only.
 */
export class SqliteDomainStore implements DomainStore {
  readonly #w: Database.Database;
  readonly #r: Database.Database;
  readonly #tx: DurableChange;

  constructor(path: string) {
    this.#w = open(path);
    this.#w.exec(SCHEMA);
    this.#tx = new DurableChange(this.#w, 'domain store');
    this.#r = open(path);
  }

  claim(domain: string, imvu: string): DomainClaim | undefined {
    const r = this.#r.prepare('SELECT * FROM claims WHERE domain = ? AND imvu = ?').get(domain, imvu) as ClaimRow | undefined;
    return r === undefined ? undefined : claimOf(r);
  }

  putClaim(c: DomainClaim): void {
    this.#w.prepare('INSERT OR REPLACE INTO claims (domain, imvu, token, created_at, expires_at, verified_at) VALUES (?, ?, ?, ?, ?, NULL)')
      .run(c.domain, c.imvu, c.token, c.createdAt, c.expiresAt);
  }

  markVerified(domain: string, imvu: string, at: string): void {
    this.#w.prepare('UPDATE claims SET verified_at = ? WHERE domain = ? AND imvu = ?').run(at, domain, imvu);
  }

  domain(domain: string): BoundDomain | undefined {
    const r = this.#r.prepare('SELECT * FROM domains WHERE domain = ?').get(domain) as DomainRow | undefined;
    return r === undefined ? undefined : domainOf(r);
  }

  domainsOf(imvu: string): BoundDomain[] {
    return (this.#r.prepare('SELECT * FROM domains WHERE imvu = ? ORDER BY domain').all(imvu) as DomainRow[]).map(domainOf);
  }

  all(): BoundDomain[] {
    return (this.#r.prepare('SELECT * FROM domains ORDER BY domain').all() as DomainRow[]).map(domainOf);
  }

  verifiedFor(imvu: string, now: string): string[] {
    const rows = this.#r.prepare(`SELECT domain FROM domains WHERE imvu = ?
      UNION SELECT domain FROM claims WHERE imvu = ? AND verified_at IS NOT NULL AND expires_at > ? ORDER BY 1`).all(imvu, imvu, now) as { domain: string }[];
    return rows.map((r) => r.domain);
  }

  pending(domain: string): PendingDnsChange | undefined {
    const r = this.#r.prepare('SELECT * FROM pending WHERE domain = ?').get(domain) as PendingRow | undefined;
    return r === undefined ? undefined : { domain: r.domain, dedupe: r.dedupe, rrsets: JSON.parse(r.rrsets) as RRset[], digest: r.digest };
  }

  setPending(p: PendingDnsChange): void {
    this.#w.prepare('INSERT OR REPLACE INTO pending (domain, dedupe, rrsets, digest) VALUES (?, ?, ?, ?)').run(p.domain, p.dedupe, JSON.stringify(p.rrsets), p.digest);
  }

  change<T>(write: (w: DomainWriter) => void, durable: () => Promise<T>): Promise<T> {
    return this.#tx.run(() => this.#writer(), write, durable);
  }

  close(): void {
    this.#r.close();
    this.#w.close();
  }

  #writer(): DomainWriter {
    const db = this.#w;
    return {
      bind: (d) => void db.prepare('INSERT INTO domains (domain, imvu, bound_at, rrsets, digest) VALUES (?, ?, ?, ?, ?)').run(d.domain, d.imvu, d.boundAt, JSON.stringify(d.rrsets), d.digest),
      setState: (domain, rrsets, digest) => void db.prepare('UPDATE domains SET rrsets = ?, digest = ? WHERE domain = ?').run(JSON.stringify(rrsets), digest, domain),
      unbind: (domain) => void db.prepare('DELETE FROM domains WHERE domain = ?').run(domain),
      dropClaims: (domain) => void db.prepare('DELETE FROM claims WHERE domain = ?').run(domain),
      clearPending: (domain) => void db.prepare('DELETE FROM pending WHERE domain = ?').run(domain),
    };
  }
}
