import Database from 'better-sqlite3';
import { NexusError } from '@nexus-cos/sdk';
import type { LedgerStore, StoreBatch, StoredCheckpoint, StoredDocument, StoredEntry } from '../../ports/ledger-store.js';
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
  readonly #insertDocument: Database.Statement;
  // Prepared once: preparing per call was a measurable share of every append.
  readonly #byDedupe: Database.Statement;
  readonly #byIndex: Database.Statement;
  readonly #byChain: Database.Statement;
  readonly #indexesByChain: Database.Statement;
  readonly #byDigest: Database.Statement;
  readonly #appendTx: (batch: StoreBatch) => void;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(LEDGER_SCHEMA);
    this.#insert = this.#db.prepare('INSERT INTO entries (idx, chain, seq, leaf, bytes, dedupe) VALUES (?, ?, ?, ?, ?, ?)');
    this.#insertCheckpoint = this.#db.prepare('INSERT INTO checkpoints (size, note) VALUES (?, ?)');
    // A document named twice (the same rate card re-sent) is the same bytes: keep the first.
    this.#insertDocument = this.#db.prepare('INSERT OR IGNORE INTO documents (digest, media_type, bytes) VALUES (?, ?, ?)');
    this.#byDedupe = this.#db.prepare('SELECT * FROM entries WHERE dedupe = ?');
    this.#byIndex = this.#db.prepare('SELECT * FROM entries WHERE idx = ?');
    this.#byChain = this.#db.prepare('SELECT * FROM entries WHERE chain = ? AND seq BETWEEN ? AND ? ORDER BY seq');
    this.#indexesByChain = this.#db.prepare('SELECT idx FROM entries WHERE chain = ? AND seq BETWEEN ? AND ? ORDER BY seq').pluck();
    this.#byDigest = this.#db.prepare('SELECT digest, media_type, bytes FROM documents WHERE digest = ?');
    this.#appendTx = this.#db.transaction((batch: StoreBatch) => {
      for (const e of batch.entries) this.#insert.run(e.index, e.chain, e.seq, Buffer.from(e.leaf), Buffer.from(e.bytes), e.dedupe);
      for (const d of batch.documents ?? []) this.#insertDocument.run(d.digest, d.mediaType, Buffer.from(d.bytes));
      if (batch.checkpoint !== undefined) this.#insertCheckpoint.run(batch.checkpoint.size, batch.checkpoint.note);
    });
  }

  append(batch: StoreBatch): void {
    try {
      this.#appendTx(batch);
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
    const r = this.#byIndex.get(index) as Row | undefined;
    return r === undefined ? undefined : toEntry(r);
  }

  chain(chain: string, fromSeq: number, toSeq: number): StoredEntry[] {
    const rows = this.#byChain.all(chain, fromSeq, toSeq) as Row[];
    return rows.map(toEntry);
  }

  chainIndexes(chain: string, fromSeq: number, toSeq: number): number[] {
    return this.#indexesByChain.all(chain, fromSeq, toSeq) as number[];
  }

  byDedupe(key: string): StoredEntry | undefined {
    const r = this.#byDedupe.get(key) as Row | undefined;
    return r === undefined ? undefined : toEntry(r);
  }

  checkpoints(): StoredCheckpoint[] {
    return this.#db.prepare('SELECT size, note FROM checkpoints ORDER BY size').all() as StoredCheckpoint[];
  }

  document(digest: string): StoredDocument | undefined {
    const r = this.#byDigest.get(digest) as
      | { digest: string; media_type: string; bytes: Buffer }
      | undefined;
    return r === undefined ? undefined : { digest: r.digest, mediaType: r.media_type, bytes: new Uint8Array(r.bytes) };
  }

  close(): void {
    this.#db.close();
  }
}
