import Database from 'better-sqlite3';
import { DurableChange } from './durable-change.js';
import type { Cursor } from '../../domain/compute/meter.js';
import type { ComputeStore, ComputeWriter, NetworkRecord, VmRecord } from '../../ports/compute-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS vms (
  imvu TEXT NOT NULL, name TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (imvu, name)
) STRICT;
CREATE TABLE IF NOT EXISTS meter_cursors (resource TEXT PRIMARY KEY, cursor TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS networks (imvu TEXT PRIMARY KEY, record TEXT NOT NULL) STRICT;
`;

// Cursors hold bigints; JSON carries them as decimal strings.
const BIG = ['cpuTimeNs', 'rxBytes', 'txBytes', 'carryCpuNs', 'carryMemMiBMs', 'carryDiskGiBMs'] as const;

function cursorJson(c: Cursor): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function cursorOf(s: string): Cursor {
  const o = JSON.parse(s) as Record<string, unknown>;
  for (const k of BIG) o[k] = BigInt(o[k] as string);
  return o as unknown as Cursor;
}

/** The compute store in SQLite (WAL, synchronous=FULL), committed only after the ledger append. */
export class SqliteComputeStore implements ComputeStore {
  readonly #db: Database.Database;
  readonly #tx: DurableChange;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(SCHEMA);
    this.#tx = new DurableChange(this.#db, 'compute store');
  }

  vm(imvu: string, name: string): VmRecord | undefined {
    const r = this.#db.prepare('SELECT record FROM vms WHERE imvu = ? AND name = ?').get(imvu, name) as { record: string } | undefined;
    return r === undefined ? undefined : (JSON.parse(r.record) as VmRecord);
  }

  vms(imvu?: string): VmRecord[] {
    const rows = (imvu === undefined
      ? this.#db.prepare('SELECT record FROM vms ORDER BY imvu, name').all()
      : this.#db.prepare('SELECT record FROM vms WHERE imvu = ? ORDER BY name').all(imvu)) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as VmRecord);
  }

  cursor(resource: string): Cursor | undefined {
    const r = this.#db.prepare('SELECT cursor FROM meter_cursors WHERE resource = ?').get(resource) as { cursor: string } | undefined;
    return r === undefined ? undefined : cursorOf(r.cursor);
  }

  network(imvu: string): NetworkRecord | undefined {
    const r = this.#db.prepare('SELECT record FROM networks WHERE imvu = ?').get(imvu) as { record: string } | undefined;
    return r === undefined ? undefined : (JSON.parse(r.record) as NetworkRecord);
  }

  change<T>(write: (w: ComputeWriter) => void, durable: () => Promise<T>): Promise<T> {
    const db = this.#db;
    return this.#tx.run((): ComputeWriter => ({
      putVm: (v) => void db.prepare('INSERT OR REPLACE INTO vms (imvu, name, record) VALUES (?, ?, ?)').run(v.imvu, v.spec.name, JSON.stringify(v)),
      deleteVm: (imvu, name) => void db.prepare('DELETE FROM vms WHERE imvu = ? AND name = ?').run(imvu, name),
      putCursor: (resource, c) => void db.prepare('INSERT OR REPLACE INTO meter_cursors (resource, cursor) VALUES (?, ?)').run(resource, cursorJson(c)),
      deleteCursor: (resource) => void db.prepare('DELETE FROM meter_cursors WHERE resource = ?').run(resource),
      putNetwork: (n) => void db.prepare('INSERT OR REPLACE INTO networks (imvu, record) VALUES (?, ?)').run(n.imvu, JSON.stringify(n)),
    }), write, durable);
  }

  close(): void {
    this.#db.close();
  }
}
