import Database from 'better-sqlite3';
import { NexusError } from '@nexus-cos/sdk';
import type { LedgerStore, StoredCheckpoint, StoredEntry } from '../../ports/ledger-store.js';
import { LEDGER_SCHEMA } from './schema.js';

interface Row { idx: number; chain: string; seq: number; leaf: Buffer; bytes: Buffer; dedupe: string | null }

const toEntry = (r: Row): StoredEntry => ({
  index: r.idx, chain: r.chain, seq: r.seq, leaf: new Uint8Array(r.leaf), bytes: new Uint8Array(r.bytes), dedupe: r.dedupe,
});

/**
 * The embedded ledger store: SQLite in WAL mode with synchronous=FULL, so a committed
 * transaction has been fsynced. One transaction per batch is the group commit.
 */
export class SqliteLedgerStore implements LedgerStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #insertCheckpoint: Database.Statement;
  readonly #appendTx: (entries: readonly StoredEntry[], cp?: StoredCheckpoint) => void;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(LEDGER_SCHEMA);
    this.#insert = this.#db.prepare('INSERT INTO entries (idx, chain, seq, leaf, bytes, dedupe) VALUES (?, ?, ?, ?, ?, ?)');
    this.#insertCheckpoint = this.#db.prepare('INSERT INTO checkpoints (size, note) VALUES (?, ?)');
    this.#appendTx = this.#db.transaction((entries: readonly StoredEntry[], cp?: StoredCheckpoint) => {
      for (const e of entries) this.#insert.run(e.index, e.chain, e.seq, Buffer.from(e.leaf), Buffer.from(e.bytes), e.dedupe);
      if (cp !== undefined) this.#insertCheckpoint.run(cp.size, cp.note);
    });
  }

  append(entries: readonly StoredEntry[], checkpoint?: StoredCheckpoint): void {
    try {
      this.#appendTx(entries, checkpoint);
    } catch (cause) {
      throw new NexusError('LEDGER_UNAVAILABLE', 'the ledger store refused the batch', { cause });
    }
  }

  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  }

  *scan(): Iterable<StoredEntry> {
    for (const r of this.#db.prepare('SELECT * FROM entries ORDER BY idx').iterate() as Iterable<Row>) yield toEntry(r);
  }

  entry(index: number): StoredEntry | undefined {
    const r = this.#db.prepare('SELECT * FROM entries WHERE idx = ?').get(index) as Row | undefined;
    return r === undefined ? undefined : toEntry(r);
  }

  chain(chain: string, fromSeq: number, toSeq: number): StoredEntry[] {
    const rows = this.#db.prepare('SELECT * FROM entries WHERE chain = ? AND seq BETWEEN ? AND ? ORDER BY seq').all(chain, fromSeq, toSeq) as Row[];
    return rows.map(toEntry);
  }

  byDedupe(key: string): StoredEntry | undefined {
    const r = this.#db.prepare('SELECT * FROM entries WHERE dedupe = ?').get(key) as Row | undefined;
    return r === undefined ? undefined : toEntry(r);
  }

  checkpoints(): StoredCheckpoint[] {
    return this.#db.prepare('SELECT size, note FROM checkpoints ORDER BY size').all() as StoredCheckpoint[];
  }

  close(): void {
    this.#db.close();
  }
}
