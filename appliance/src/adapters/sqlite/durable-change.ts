import type Database from 'better-sqlite3';
import { NexusError } from '@nexus-cos/sdk';

/**
 * The one way a SQLite store follows the ledger: BEGIN IMMEDIATE, stage the writes, wait
 * until the ledger made the matching entries durable, then COMMIT. A failure before the
 * ledger is durable rolls back (nothing happened). A failed COMMIT after it means the ledger
 * holds entries whose effect the store lost: the store rolls back what is open and fails
 * closed, refusing every later change until a restart reconciles it from the ledger
 * (entries without their effect, never an effect without its entries).
 */
export class DurableChange {
  #changing = false;
  #failed: NexusError | undefined;

  constructor(private readonly db: Database.Database, private readonly store: string) {}

  async run<W, T>(writer: () => W, write: (w: W) => void, durable: () => Promise<T>): Promise<T> {
    if (this.#failed !== undefined) throw this.#failed;
    // One open transaction per connection: overlapping changes would commit each other's writes.
    if (this.#changing) throw new NexusError('CONFLICT', `another ${this.store} change is in progress`, { field: `/${this.store}` });
    this.#changing = true;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      let result: T;
      try {
        write(writer());
        result = await durable();
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
      try {
        this.db.exec('COMMIT');
      } catch (cause) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        this.#failed = new NexusError('LEDGER_UNAVAILABLE', `the ${this.store} could not commit a change the ledger recorded; restart to reconcile`, { cause, field: `/${this.store}` });
        throw this.#failed;
      }
      return result;
    } finally {
      this.#changing = false;
    }
  }
}
