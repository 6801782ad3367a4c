import Database from 'better-sqlite3';
import { NexusError } from '@nexus-cos/sdk';
import type { ConsentRecord, DelegationRecord, IdentityRecord, ImvuRecord, LegalHoldRecord, Registry, RegistryWriter } from '../ports/registry.js';
import { HOLDS_SCHEMA, holdReads, holdWriter } from './holds.js';
import { consentOf, identityOf, imvuId, imvuOf, type ConsentRow, type IdentityRow, type ImvuRow } from './rows.js';
import { REGISTRY_SCHEMA } from './schema.js';

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * The registry in SQLite (WAL, synchronous=FULL). Two connections: a change holds its
 * transaction open on the writer while the ledger makes the effect durable, and every
 * read goes through the reader, which sees only committed state; so no request, and no
 * gate, ever judges a change that might still be rolled back.
 */
export class SqliteRegistry implements Registry {
  readonly #w: Database.Database;
  readonly #r: Database.Database;
  readonly #writer: RegistryWriter;
  readonly #q: Record<'identity' | 'imvu' | 'imvus' | 'visible' | 'consents' | 'delegation' | 'delegations' | 'maxN', Database.Statement>;
  readonly #holds: ReturnType<typeof holdReads>;
  #changing = false;

  constructor(path: string) {
    this.#w = open(path);
    this.#w.exec(REGISTRY_SCHEMA);
    this.#w.exec(HOLDS_SCHEMA);
    this.#r = open(path);
    this.#holds = holdReads(this.#r);
    this.#writer = writerOn(this.#w);
    // Prepared once: gate facts read these on every request.
    const q = (sql: string): Database.Statement => this.#r.prepare(sql);
    this.#q = {
      identity: q('SELECT * FROM identities WHERE did = ?'),
      imvu: q('SELECT * FROM imvus WHERE id = ?'),
      imvus: q('SELECT * FROM imvus ORDER BY n'),
      visible: q('SELECT * FROM imvus WHERE owner = ? OR id IN (SELECT imvu FROM delegations WHERE delegate = ?) ORDER BY n'),
      consents: q('SELECT * FROM consents WHERE imvu = ? ORDER BY n'),
      delegation: q('SELECT scopes FROM delegations WHERE imvu = ? AND delegate = ?'),
      maxN: q('SELECT coalesce(max(n), 0) AS n FROM imvus'),
      delegations: q('SELECT delegate, scopes FROM delegations WHERE imvu = ? ORDER BY delegate'),
    };
  }

  identity(did: string): IdentityRecord | undefined {
    const row = this.#q.identity.get(did) as IdentityRow | undefined;
    return row === undefined ? undefined : identityOf(row);
  }

  imvu(id: string): ImvuRecord | undefined {
    const row = this.#q.imvu.get(id) as ImvuRow | undefined;
    return row === undefined ? undefined : imvuOf(row);
  }

  imvus(): ImvuRecord[] {
    return (this.#q.imvus.all() as ImvuRow[]).map(imvuOf);
  }

  imvusVisibleTo(did: string): ImvuRecord[] {
    return (this.#q.visible.all(did, did) as ImvuRow[]).map(imvuOf);
  }

  consents(imvu: string): ConsentRecord[] {
    return (this.#q.consents.all(imvu) as ConsentRow[]).map(consentOf);
  }

  delegation(imvu: string, delegate: string): string[] {
    const row = this.#q.delegation.get(imvu, delegate) as { scopes: string } | undefined;
    return row === undefined ? [] : (JSON.parse(row.scopes) as string[]);
  }

  delegations(imvu: string): DelegationRecord[] {
    return (this.#q.delegations.all(imvu) as { delegate: string; scopes: string }[]).map((r) => ({ delegate: r.delegate, scopes: JSON.parse(r.scopes) as string[] }));
  }

  legalHold(imvu: string): LegalHoldRecord | undefined {
    return this.#holds.legalHold(imvu);
  }

  nextImvuId(): string {
    const row = this.#q.maxN.get() as { n: number };
    return imvuId(row.n + 1);
  }

  #failed: NexusError | undefined;

  async change<T>(write: (w: RegistryWriter) => void, durable: () => Promise<T>): Promise<T> {
    // One open transaction per connection: overlapping changes would commit each other's writes.
    if (this.#failed !== undefined) throw this.#failed;
    if (this.#changing) throw new NexusError('CONFLICT', 'another registry change is in progress', { field: '/registry' });
    this.#changing = true;
    try {
      this.#w.exec('BEGIN IMMEDIATE');
      let result: T;
      try {
        write(this.#writer);
        result = await durable();
      } catch (e) {
        this.#w.exec('ROLLBACK');
        throw e;
      }
      try {
        this.#w.exec('COMMIT');
      } catch (cause) {
        // The ledger already holds the effect's entries; the registry could not follow. Undo
        // what is open and stop taking changes: state and ledger must be reconciled by a
        // restart (entries without their effect, never an effect without its entries).
        if (this.#w.inTransaction) this.#w.exec('ROLLBACK');
        this.#failed = new NexusError('LEDGER_UNAVAILABLE', 'the registry could not commit a change the ledger recorded; restart to reconcile', { cause, field: '/registry' });
        throw this.#failed;
      }
      return result;
    } finally {
      this.#changing = false;
    }
  }

  close(): void {
    this.#r.close();
    this.#w.close();
  }
}

function writerOn(db: Database.Database): RegistryWriter {
  const insertIdentity = db.prepare('INSERT INTO identities (did, status, successor, recovery_keys, jurisdiction, created_at, status_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const updateIdentity = db.prepare('UPDATE identities SET status = ?, recovery_keys = ?, successor = coalesce(?, successor), status_changed_at = coalesce(?, status_changed_at) WHERE did = ?');
  const insertImvu = db.prepare('INSERT INTO imvus (n, id, owner, jurisdiction, status, quotas, storage_pool, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const grant = db.prepare('INSERT INTO consents (imvu, purpose, granted_by, granted_at, withdrawn_at) VALUES (?, ?, ?, ?, ?)');
  const withdraw = db.prepare('UPDATE consents SET withdrawn_at = ? WHERE imvu = ? AND purpose = ? AND withdrawn_at IS NULL');
  const moveDelegations = db.prepare('UPDATE delegations SET delegate = ? WHERE delegate = ?');
  const changed = (info: Database.RunResult, what: string): void => {
    if (info.changes === 0) throw new NexusError('NOT_FOUND', `no such ${what}`, { field: '/registry' });
  };
  return {
    ...holdWriter(db),
    insertIdentity: (r) => {
      insertIdentity.run(r.did, r.status, r.successor ?? null, JSON.stringify(r.recoveryKeys), r.jurisdiction, r.createdAt, r.statusChangedAt ?? null);
    },
    updateIdentity: (did, p) => {
      changed(updateIdentity.run(p.status, JSON.stringify(p.recoveryKeys), p.successor ?? null, p.statusChangedAt ?? null, did), 'identity');
    },
    insertImvu: (r) => {
      insertImvu.run(Number(r.id.slice(5)), r.id, r.owner, r.jurisdiction, r.status, JSON.stringify(r.quotas), r.storagePool, r.createdAt);
    },
    updateImvu: (id, p) => {
      const sets = Object.entries({ owner: p.owner, jurisdiction: p.jurisdiction, status: p.status, quotas: p.quotas === undefined ? undefined : JSON.stringify(p.quotas) })
        .filter((e): e is [string, string] => e[1] !== undefined);
      if (sets.length === 0) return;
      // Column names come from the fixed list above, never from input.
      const info = db.prepare(`UPDATE imvus SET ${sets.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...sets.map(([, v]) => v), id);
      changed(info, 'IMVU');
    },
    grantConsent: (c) => {
      grant.run(c.imvu, c.purpose, c.grantedBy, c.grantedAt, c.withdrawnAt ?? null);
    },
    withdrawConsent: (imvu, purpose, at) => {
      changed(withdraw.run(at, imvu, purpose), 'active consent');
    },
    moveDelegations: (from, to) => {
      moveDelegations.run(to, from);
    },
  };
}
