// The commit protocol every SQLite store shares (registry, domains, compute): writes are
// committed only after the ledger is durable; a failure before that leaves nothing; a
// failed COMMIT after it fails the store closed.
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NexusError } from '@nexus-cos/sdk';
import { DurableChange } from '../../../appliance/src/adapters/sqlite/durable-change.js';
import { rejectsCode } from '../../helpers/codes.js';

function db(): Database.Database {
  const d = new Database(join(mkdtempSync(join(tmpdir(), 'nx-durable-')), 'x.sqlite'));
  d.pragma('foreign_keys = ON');
  // A deferred foreign key is checked at COMMIT: the way to make COMMIT itself fail.
  d.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);');
  return d;
}
const rows = (d: Database.Database): number => (d.prepare('SELECT count(*) AS n FROM parent').get() as { n: number }).n;

t.test('committed after durable; a failure before it rolls everything back', async (t) => {
  const d = db();
  const tx = new DurableChange(d, 'test store');
  const order: string[] = [];
  const out = await tx.run(() => d, (w) => void w.prepare('INSERT INTO parent (id) VALUES (1)').run(), async () => {
    order.push(`durable with ${rows(new Database(d.name))} committed rows`);
    return 'ok';
  });
  t.equal(out, 'ok');
  t.same(order, ['durable with 0 committed rows'], 'another connection saw nothing before the ledger was durable');
  t.equal(rows(d), 1, 'committed after');
  await t.rejects(tx.run(() => d, (w) => void w.prepare('INSERT INTO parent (id) VALUES (2)').run(), () => Promise.reject(new Error('ledger down'))), /ledger down/);
  t.equal(rows(d), 1, 'the write staged before the failure is gone');
  t.equal(d.inTransaction, false);
});

t.test('overlapping changes are refused, not merged into one transaction', async (t) => {
  const d = db();
  const tx = new DurableChange(d, 'test store');
  let release!: () => void;
  const first = tx.run(() => d, () => undefined, () => new Promise<void>((r) => (release = r)));
  await rejectsCode(t, () => tx.run(() => d, () => undefined, async () => undefined), 'CONFLICT');
  release();
  await first;
});

t.test('a COMMIT that fails after the ledger is durable fails the store closed', async (t) => {
  const d = db();
  const tx = new DurableChange(d, 'test store');
  const failed = await tx.run(() => d, (w) => {
    w.prepare('INSERT INTO parent (id) VALUES (7)').run();
    w.prepare('INSERT INTO child (id, parent) VALUES (1, 99)').run();
  }, async () => undefined).then(() => undefined, (e: unknown) => e as NexusError);
  t.equal(failed?.code, 'LEDGER_UNAVAILABLE', 'the failed COMMIT is reported as the ledger being ahead');
  t.equal(failed?.field, '/test store');
  t.equal(rows(d), 0, 'what was open is rolled back');
  t.equal(d.inTransaction, false);
  await rejectsCode(t, () => tx.run(() => d, (w) => void w.prepare('INSERT INTO parent (id) VALUES (8)').run(), async () => undefined), 'LEDGER_UNAVAILABLE');
  t.equal(rows(d), 0, 'and every later change is refused until a restart reconciles it');
});
