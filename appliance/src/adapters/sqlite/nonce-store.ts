import Database from 'better-sqlite3';
import type { NonceStore } from '../../ports/nonce-store.js';

/**
 * Nonces in SQLite, so a restart (even kill -9) does not reopen a replay window for the
 * requests the previous process accepted. WAL with synchronous=NORMAL: a committed insert
 * survives a process crash; only an OS crash could lose the last few, which is stated in
 * SECURITY.md. Expired nonces are deleted at most once a second.
 */
export class SqliteNonceStore implements NonceStore {
  readonly durable = true;
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #lookup: Database.Statement;
  readonly #purge: Database.Statement;
  #nextPurge = 0;

  constructor(path: string, private readonly horizonMs: number) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, until INTEGER NOT NULL) STRICT');
    this.#insert = this.#db.prepare('INSERT INTO nonces (nonce, until) VALUES (?, ?) ON CONFLICT (nonce) DO UPDATE SET until = excluded.until WHERE nonces.until <= ?');
    this.#lookup = this.#db.prepare('SELECT until FROM nonces WHERE nonce = ?');
    this.#purge = this.#db.prepare('DELETE FROM nonces WHERE until <= ?');
  }

  seen(nonce: string, expires: number, now: number): boolean {
    if (now >= this.#nextPurge) {
      this.#nextPurge = now + 1000;
      this.#purge.run(now);
    }
    const held = this.#lookup.get(nonce) as { until: number } | undefined;
    if (held !== undefined && held.until > now) return true;
    this.#insert.run(nonce, Math.min(expires, now + this.horizonMs), now);
    return false;
  }

  close(): void {
    this.#db.close();
  }
}
