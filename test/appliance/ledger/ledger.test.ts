import t from 'tap';
import Database from 'better-sqlite3';
import { fromBase64, verifyConsistencyProof, verifyHeadProof, verifyInclusionProof, verifyLedgerSlice, type LedgerSlice } from '@nexus-cos/sdk';
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import { consistencyArtifact, headArtifact, inclusionArtifact, sliceArtifact } from '../../../appliance/src/ledger/proofs.js';
import { owner, openLedger, tempDb, trustedRoot, usage } from '../../helpers/ledger.js';
import { rejectsCode, throwsCode } from '../../helpers/codes.js';

t.test('appends are acknowledged durable, chained per IMVU, and provable offline', async (t) => {
  const path = tempDb();
  const ledger = openLedger(path, 10_000);
  const receipts = await Promise.all(Array.from({ length: 30 }, (_, i) => recordUsage(ledger, usage(i % 3 === 0 ? 'IMVU-001' : 'IMVU-042', i))));
  t.same(receipts.map((r) => r.index), Array.from({ length: 30 }, (_, i) => i), 'global indexes are contiguous');
  t.same(receipts.filter((r) => r.chain === 'IMVU-001').map((r) => r.seq), Array.from({ length: 10 }, (_, i) => i), 'per-IMVU seq is contiguous');
  const first = ledger.checkpoint();
  for (let i = 30; i < 47; i++) await recordUsage(ledger, usage('IMVU-042', i));
  ledger.checkpoint();

  const inc = verifyInclusionProof(inclusionArtifact(ledger, 5), trustedRoot);
  t.equal(inc.treeSize, 47, 'inclusion against the latest checkpoint');
  const con = verifyConsistencyProof(consistencyArtifact(ledger, 30, 47), trustedRoot);
  t.equal(con.newCheckpoint.size, 47n);
  t.match(first, /^test\.nexus-cos\.invalid\/ledger\n30\n/);
  const head = verifyHeadProof(headArtifact(ledger, 'IMVU-042'), trustedRoot);
  t.equal(head.seq, 36n, 'IMVU-042 has 37 entries');
  const slice = verifyLedgerSlice(sliceArtifact(ledger, 'IMVU-042'), trustedRoot);
  t.equal(slice.entries.length, 37, 'the slice is complete');
  await ledger.close();

  // Reopening verifies everything (gate 5) and continues the chains.
  const again = openLedger(path);
  const r = await recordUsage(again, usage('IMVU-001', 1000));
  t.same([r.index, r.seq], [47, 10], 'continues after restart');
  await again.close();
});

t.test('a slice with an entry left out, added or reordered is refused', async (t) => {
  const ledger = openLedger(tempDb());
  for (let i = 0; i < 8; i++) await recordUsage(ledger, usage('IMVU-042', i));
  await recordUsage(ledger, usage('IMVU-007', 99));
  ledger.checkpoint();
  const slice = sliceArtifact(ledger, 'IMVU-042');
  const other = sliceArtifact(ledger, 'IMVU-007');
  const e = slice.entries;
  const variants: [string, LedgerSlice][] = [
    ['last entry missing', { ...slice, entries: e.slice(0, -1) }],
    ['middle entry missing', { ...slice, entries: [...e.slice(0, 3), ...e.slice(4)] }],
    ['two entries swapped', { ...slice, entries: [e[1] as string, e[0] as string, ...e.slice(2)] }],
    ['an entry of another IMVU substituted', { ...slice, entries: [...e.slice(0, -1), other.entries[0] as string] }],
  ];
  for (const [name, v] of variants) throwsCode(t, () => verifyLedgerSlice(v, trustedRoot), 'SLICE_INCOMPLETE', name);
  const changed = fromBase64(e[2] as string);
  changed[40] = (changed[40] as number) ^ 1;
  const bad = { ...slice, entries: [...e.slice(0, 2), Buffer.from(changed).toString('base64'), ...e.slice(3)] };
  t.throws(() => verifyLedgerSlice(bad, trustedRoot), 'a changed entry byte is refused');
  await ledger.close();
});

t.test('usage events are idempotent on (source, id)', async (t) => {
  const ledger = openLedger(tempDb());
  const a = await recordUsage(ledger, usage('IMVU-042', 1, 5n));
  const [b, c] = await Promise.all([recordUsage(ledger, usage('IMVU-042', 1, 5n)), recordUsage(ledger, usage('IMVU-042', 2))]);
  t.equal(b.index, a.index, 'a retry returns the original receipt');
  t.ok(b.duplicate);
  t.equal(c.index, a.index + 1, 'a retry consumed no index');
  await rejectsCode(t, () => recordUsage(ledger, usage('IMVU-042', 1, 6n)), 'DUPLICATE_EVENT');
  // Retry of an event still in the same batch.
  const [d, e] = await Promise.all([recordUsage(ledger, usage('IMVU-042', 3)), recordUsage(ledger, usage('IMVU-042', 3))]);
  t.equal(d.index, e.index, 'in-flight retries share one entry');
  t.equal(ledger.tree.size, 3);
  await ledger.close();
});

t.test('bad input is refused with a coded error and consumes nothing', async (t) => {
  const ledger = openLedger(tempDb());
  await rejectsCode(t, () => recordUsage(ledger, { ...usage('IMVU-042', 1), quantity: -1n }), 'INPUT_INVALID');
  await rejectsCode(t, () => recordUsage(ledger, { ...usage('IMVU-042', 1), imvu: 'IMVU-4' }), 'INPUT_INVALID');
  await rejectsCode(t, () => recordUsage(ledger, { ...usage('IMVU-042', 1), meter: 'Bad Meter' }), 'INPUT_INVALID');
  await rejectsCode(t, () => ledger.append({ kind: 'consent', imvu: 'IMVU-042', actor: owner.publicKey.id, op: 'grant', purpose: 'Not A Purpose', grantedBy: owner.publicKey.id }, 'x'), 'INPUT_INVALID');
  t.equal(ledger.tree.size, 0, 'nothing was appended');
  const ok = await recordUsage(ledger, usage('IMVU-042', 1));
  t.equal(ok.seq, 0, 'no sequence number was consumed by the refusals');
  throwsCode(t, () => inclusionArtifact(ledger, 0), 'INPUT_INVALID');
  await ledger.close();
});

t.test('the database itself refuses UPDATE and DELETE', async (t) => {
  const path = tempDb();
  const ledger = openLedger(path);
  await recordUsage(ledger, usage('IMVU-042', 1));
  await ledger.close();
  const db = new Database(path);
  t.throws(() => db.prepare('UPDATE entries SET seq = 5').run(), /append-only/);
  t.throws(() => db.prepare('DELETE FROM entries').run(), /append-only/);
  t.throws(() => db.prepare('DELETE FROM checkpoints').run(), /append-only/);
  t.throws(() => db.prepare('UPDATE checkpoints SET note = ?').run('x'), /append-only/);
  db.close();
});

t.test('notices, consents, audit records and key rotations are ledger entries too', async (t) => {
  const ledger = openLedger(tempDb());
  const actor = owner.publicKey.id;
  const HEX = 'ab'.repeat(32);
  const kinds = [
    ledger.append({ kind: 'notice', imvu: 'IMVU-042', actor, scope: 'quota', reason: 'disk pool migration', effectiveAt: '2026-12-01T00:00:00Z', declared: HEX }),
    ledger.append({ kind: 'consent', imvu: 'IMVU-042', actor, op: 'grant', purpose: 'mail.processing', grantedBy: actor }),
    ledger.append({ kind: 'audit', imvu: 'IMVU-042', actor, action: 'imvu.suspend', resource: 'imvu:IMVU-042', decision: HEX }),
    ledger.append({ kind: 'key_rotation', imvu: null, actor, oldKey: actor, newKey: actor, signedBy: 'old', envelope: HEX }),
  ];
  const receipts = await Promise.all(kinds);
  t.same(receipts.map((r) => r.chain), ['IMVU-042', 'IMVU-042', 'IMVU-042', 'platform'], 'platform-global entries form their own chain');
  ledger.checkpoint();
  t.equal(verifyLedgerSlice(sliceArtifact(ledger, 'platform'), trustedRoot).entries.length, 1);
  t.equal(verifyLedgerSlice(sliceArtifact(ledger, 'IMVU-042'), trustedRoot).entries.length, 3);
  await ledger.close();
});

t.test('a checkpoint is signed at least every checkpointIntervalMs while entries arrive', async (t) => {
  // The test clock advances one second per reading; the interval is 1.5 s.
  const ledger = openLedger(tempDb(), 1_000_000, 1500);
  for (let i = 0; i < 4; i++) await recordUsage(ledger, usage('IMVU-042', i));
  t.ok(ledger.checkpointer.latestSize > 0, `signed at size ${ledger.checkpointer.latestSize} without reaching the count`);
  await ledger.close();
});

t.test('offline, a slice holding one event twice is refused (it would bill twice)', async (t) => {
  const ledger = openLedger(tempDb());
  const { quantity, ...e } = usage('IMVU-042', 1);
  // Raw appends without the idempotency key, as only a faulty or hostile platform would make.
  await ledger.append({ kind: 'usage', ...e, quantity: quantity.toString() });
  await ledger.append({ kind: 'usage', ...e, quantity: quantity.toString() });
  ledger.checkpoint();
  throwsCode(t, () => verifyLedgerSlice(sliceArtifact(ledger, 'IMVU-042'), trustedRoot), 'DUPLICATE_EVENT');
  await ledger.close();
});
