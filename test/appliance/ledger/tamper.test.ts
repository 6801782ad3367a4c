import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { isNexusError, leafHash } from '@nexus-cos/sdk';
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import { openLedger, tempDb, usage } from '../../helpers/ledger.js';

/** A ledger of 40 entries with checkpoints at 30 and 40, plus 5 entries past the last one. */
async function build(): Promise<string> {
  const path = tempDb();
  const ledger = openLedger(path, 1_000_000);
  for (let i = 0; i < 30; i++) await recordUsage(ledger, usage(i % 2 ? 'IMVU-042' : 'IMVU-001', i));
  ledger.checkpoint();
  for (let i = 30; i < 40; i++) await recordUsage(ledger, usage('IMVU-042', i));
  ledger.checkpoint();
  for (let i = 40; i < 45; i++) await recordUsage(ledger, usage('IMVU-042', i));
  await ledger.flush();
  await ledger.store.close(); // no closing checkpoint: the last 5 are covered only by signatures
  return path;
}

/** Runs raw SQL with the append-only triggers dropped, as an attacker with file access would. */
function tamper(path: string, sql: (db: Database.Database) => void): void {
  const db = new Database(path);
  for (const tr of ['entries_no_update', 'entries_no_delete', 'checkpoints_no_update', 'checkpoints_no_delete']) db.exec(`DROP TRIGGER ${tr}`);
  sql(db);
  db.close();
}

function flip(db: Database.Database, idx: number, alsoLeaf: boolean): void {
  const row = db.prepare('SELECT bytes FROM entries WHERE idx = ?').get(idx) as { bytes: Buffer };
  const b = Buffer.from(row.bytes);
  // A byte inside the base64 payload: still readable, but no longer what was signed.
  const at = b.indexOf('"payload":"') + 40;
  b[at] = b[at] === 0x41 ? 0x42 : 0x41;
  db.prepare('UPDATE entries SET bytes = ? WHERE idx = ?').run(b, idx);
  if (alsoLeaf) db.prepare('UPDATE entries SET leaf = ? WHERE idx = ?').run(Buffer.from(leafHash(b)), idx);
}

/** Start-up must refuse the store (gate 5 fails closed), naming `field`. */
function refuses(t: Test, path: string, field: string, name: string): void {
  try {
    openLedger(path);
    t.fail(`${name}: the ledger opened`);
  } catch (e) {
    t.ok(isNexusError(e) && e.code === 'LEDGER_INTEGRITY', `${name}: LEDGER_INTEGRITY`);
    t.equal(isNexusError(e) ? e.field : undefined, field, `${name}: names ${field}`);
  }
}

t.test('an intact ledger opens', async (t) => {
  const l = openLedger(await build());
  t.equal(l.tree.size, 45);
  await l.close();
});

t.test('a flipped byte in a stored entry is detected at start-up, naming the entry', async (t) => {
  for (const idx of [3, 35, 42]) {
    const path = await build();
    tamper(path, (db) => flip(db, idx, false));
    refuses(t, path, `/entries/${idx}`, `entry ${idx}, leaf column left alone`);
  }
});

t.test('a flipped byte with a recomputed leaf column is still found and named', async (t) => {
  for (const idx of [3, 35, 42]) {
    const path = await build();
    tamper(path, (db) => flip(db, idx, true));
    refuses(t, path, `/entries/${idx}`, `entry ${idx}, leaf recomputed`);
  }
});

t.test('a deleted row is detected, naming where the log breaks', async (t) => {
  // Row 42 is past the last checkpoint: covered by signatures and by its successors' indexes.
  for (const [idx, field] of [[7, '/entries/7'], [42, '/entries/42']] as const) {
    const path = await build();
    tamper(path, (db) => db.prepare('DELETE FROM entries WHERE idx = ?').run(idx));
    refuses(t, path, field, `row ${idx} deleted`);
  }
  const path = await build();
  tamper(path, (db) => db.prepare('DELETE FROM entries WHERE idx >= 35').run());
  refuses(t, path, '/entries/35', 'tail cut below the last checkpoint');
});

t.test('limit, stated: the unsigned tail past the last checkpoint can be cut without local evidence', async (t) => {
  // No local check can see a truncated tail that no checkpoint committed; the defence is
  // the checkpoint cadence (spec/ledger.md) and checkpoints held outside the box.
  const path = await build();
  tamper(path, (db) => db.prepare('DELETE FROM entries WHERE idx = 44').run());
  const l = openLedger(path);
  t.equal(l.tree.size, 44, 'opens with 44 entries: this is the documented limit, not a pass');
  await l.close();
});

t.test('an edited checkpoint is detected', async (t) => {
  const path = await build();
  tamper(path, (db) => db.prepare("UPDATE checkpoints SET note = replace(note, '\n30\n', '\n31\n') WHERE size = 30").run());
  refuses(t, path, '/checkpoints/30', 'checkpoint text changed');
});
