// The exit request over a real socket: gated before any byte, streamed with its size
// announced, verifying offline; a legal hold blocks it with its signed reason shown.
import t from 'tap';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { LEGAL_HOLD_MEDIA_TYPE, bytesSource, canonicalBytes, openJsonEnvelope, PublicKey, TrustedKeys, sha256, toHex, verifyExitBundle, type LedgerEntry } from '@nexus-cos/sdk';
import { entries, operator, REASON, send } from '../http/harness.js';
import { trustedRoot } from '../../helpers/ledger.js';
import { unpack } from '../../helpers/tar.js';
import type { BundleSection } from '../../../appliance/src/exit/section.js';
import { readEntry } from '../../../appliance/src/ledger/read-entry.js';
import { holdEnvelope, listening, owner, requestExit, stranger } from './listening.js';

/** An entry from its signed envelope bytes. */
const entryOf = (bytes: Uint8Array): LedgerEntry => readEntry({ bytes } as Parameters<typeof readEntry>[0]);

t.test('the owner\u2019s exit streams a bundle that verifies, its size and members announced first', async (t) => {
  const l = await listening(t);
  const a = await requestExit(l, owner);
  t.equal(a.status, 200);
  t.equal(a.headers['content-type'], 'application/x-tar');
  t.equal(a.headers['x-nexus-exit-size'], String(a.body.length), 'the announced size is the size streamed');
  const members = await unpack(a.body);
  t.equal(a.headers['x-nexus-exit-files'], String(members.length), 'the announced member count is exact');
  const v = await verifyExitBundle([a.body], trustedRoot);
  t.equal(v.imvu, l.id);
  t.equal(v.trust, 'given');
  t.same(v.countersignedBy, [], 'the owner has not countersigned');
  const chain = l.s.ledger.store.chain(l.id, 0, 1e9).map(readEntry);
  t.ok(chain.some((e) => e.kind === 'gate_decision' && e.action === 'exit.start' && e.decision === 'allow'), 'the admitted exit is in the IMVU\u2019s own chain');
  t.ok(chain.some((e) => e.kind === 'audit' && e.action === 'exit.start'), 'and its audit entry, before the bundle was built');
  t.equal(v.entries, chain.length, 'the bundle carries the chain up to and including the exit itself');

  const z = await requestExit(l, owner, true);
  t.equal(z.status, 200);
  t.equal(z.headers['content-type'], 'application/gzip');
  const tar = gunzipSync(z.body);
  t.equal(z.headers['x-nexus-exit-size'], String(tar.length), 'with ?gzip=1 the size is that of the tar inside');
  t.equal((await verifyExitBundle([z.body], trustedRoot)).imvu, l.id, 'the gzip bundle verifies');
});

t.test('a stranger is refused by gate 2 and nothing is streamed', async (t) => {
  const l = await listening(t);
  const before = l.s.ledger.store.chain(l.id, 0, 1e9).length;
  const a = await requestExit(l, stranger);
  t.equal(a.status, 403);
  t.match(a.headers['content-type'], /^application\/json/, 'a JSON refusal, not an archive');
  const body = JSON.parse(a.body.toString()) as { code: string };
  t.equal(body.code, 'GATE_RESOURCE_BINDING');
  t.notOk(a.headers['x-nexus-exit-size'], 'no size was announced');
  t.equal(l.s.ledger.store.chain(l.id, 0, 1e9).length, before, 'the stranger\u2019s denial does not grow the tenant\u2019s chain');
  const denied = entries(l.s.ledger).filter((e) => e.kind === 'gate_decision' && e.action === 'exit.start' && e.decision === 'deny');
  t.equal(denied.length, 1, 'the denial is logged (in the platform\u2019s chain)');
});

t.test('a legal hold with a signed reason blocks the exit, the owner is shown it; release unblocks', async (t) => {
  const l = await listening(t);
  const hold = holdEnvelope(operator, l.id, REASON);
  const digest = toHex(sha256(canonicalBytes(hold)));

  const byOwner = await send(l.s.app, owner, 'POST', `/v1/imvus/${l.id}/exit/hold`, { hold: holdEnvelope(owner, l.id, 'I hold myself') });
  t.equal(byOwner.statusCode, 403, 'only the operator places holds');
  const unsigned = await send(l.s.app, operator, 'POST', `/v1/imvus/${l.id}/exit/hold`, { hold: holdEnvelope(operator, 'IMVU-999', REASON) });
  t.equal((unsigned.json() as { code: string }).code, 'GATE_EXIT_READINESS', 'a hold signed for another IMVU is no signed reason (gate 15)');

  const placed = await send(l.s.app, operator, 'POST', `/v1/imvus/${l.id}/exit/hold`, { hold });
  t.equal(placed.statusCode, 201, placed.body);
  t.same(placed.json(), { imvu: l.id, hold: { imvu: l.id, reason: REASON, signedBy: operator.publicKey.id, envelopeDigest: digest, placedAt: (placed.json() as { hold: { placedAt: string } }).hold.placedAt } });
  const again = await send(l.s.app, operator, 'POST', `/v1/imvus/${l.id}/exit/hold`, { hold: holdEnvelope(operator, l.id, 'second') });
  t.equal((again.json() as { code: string }).code, 'CONFLICT', 'one hold at a time');

  const a = await requestExit(l, owner);
  t.equal(a.status, 403);
  const body = JSON.parse(a.body.toString()) as { code: string; message: string; hold: { reason: string; signedBy: string; envelopeDigest: string } };
  t.equal(body.code, 'GATE_EXIT_READINESS', 'gate 15\u2019s code');
  t.equal(body.hold.reason, REASON, 'the owner is shown the signed reason');
  t.equal(body.hold.signedBy, operator.publicKey.id, 'its signer');
  t.equal(body.hold.envelopeDigest, digest, 'and the digest of the signed hold');
  t.match(body.message, REASON);
  const s = await requestExit(l, stranger);
  t.notOk((JSON.parse(s.body.toString()) as { hold?: unknown }).hold, 'a stranger is shown nothing of the hold');

  const slice = await send(l.s.app, owner, 'GET', `/v1/imvus/${l.id}/ledger`);
  const own = (slice.json() as { entries: string[] }).entries.map((e) => entryOf(Buffer.from(e, 'base64')));
  const notices = own.filter((e) => e.kind === 'notice' && e.scope === 'exit');
  t.equal(notices.length, 1, 'the hold is a notice in the owner\u2019s own log');
  t.match(notices[0], { reason: REASON, declared: digest, actor: operator.publicKey.id });

  const notOperator = await send(l.s.app, owner, 'POST', `/v1/imvus/${l.id}/exit/release`, { reason: 'I release myself' });
  t.equal(notOperator.statusCode, 403, 'the owner cannot lift the hold');
  const released = await send(l.s.app, operator, 'POST', `/v1/imvus/${l.id}/exit/release`, { reason: 'court order lifted' });
  t.equal(released.statusCode, 200, released.body);
  t.same(released.json(), { imvu: l.id, hold: null });
  const twice = await send(l.s.app, operator, 'POST', `/v1/imvus/${l.id}/exit/release`, { reason: 'again' });
  t.equal((twice.json() as { code: string }).code, 'NOT_FOUND', 'nothing left to release');

  const ok = await requestExit(l, owner);
  t.equal(ok.status, 200, 'released: the exit streams');
  await verifyExitBundle([ok.body], trustedRoot);
  const members = await unpack(ok.body);
  const doc = members.find((m) => m.name === `ledger/documents/${digest}`);
  t.ok(doc, 'the signed hold travels in the bundle');
  const opened = openJsonEnvelope(JSON.parse(doc?.bytes.toString() ?? '{}'), { trusted: new TrustedKeys([PublicKey.fromDid(operator.publicKey.id)]), payloadType: LEGAL_HOLD_MEDIA_TYPE });
  t.match(opened.value, { imvu: l.id, reason: REASON }, 'and the owner can check its signature with the SDK alone');
  const lines = members.find((m) => m.name === 'ledger/chain.jsonl')?.bytes.toString().trim().split('\n') ?? [];
  const exitNotices = lines.map((x) => entryOf(Buffer.from(x))).filter((e) => e.kind === 'notice' && e.scope === 'exit');
  t.equal(exitNotices.length, 2, 'hold and release are both notices in the exported chain');
});

t.test('the record lists the delegations the owner signed', async (t) => {
  const l = await listening(t);
  t.same(l.s.registry.delegations(l.id), [], 'none at first');
  // No route grants delegations yet: the row is written as the registry stores one.
  const db = new Database(join(l.s.dir, 'registry.sqlite'));
  db.prepare('INSERT INTO delegations (imvu, delegate, scopes) VALUES (?, ?, ?)').run(l.id, stranger.publicKey.id, JSON.stringify(['dns.', 'mail.']));
  db.close();
  t.same(l.s.registry.delegations(l.id), [{ delegate: stranger.publicKey.id, scopes: ['dns.', 'mail.'] }]);
  const a = await requestExit(l, owner);
  t.equal(a.status, 200);
  const record = JSON.parse((await unpack(a.body)).find((m) => m.name === 'imvu/record.json')?.bytes.toString() ?? '{}') as { delegations?: unknown };
  t.same(record.delegations, [{ delegate: stranger.publicKey.id, scopes: ['dns.', 'mail.'] }], 'imvu/record.json carries them');
  await verifyExitBundle([a.body], trustedRoot);
});

t.test('the OpenAPI document shows the exit refusal with its hold', async (t) => {
  const l = await listening(t);
  const doc = (await send(l.s.app, null, 'GET', '/openapi.json')).json() as { paths: Record<string, { post?: { responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> } }> };
  const refusal = doc.paths['/v1/imvus/{id}/exit']?.post?.responses?.['403']?.content?.['application/json']?.schema;
  t.ok(refusal?.properties?.['hold'], 'the 403 body documents `hold`');
  t.ok(doc.paths['/v1/imvus/{id}/exit/hold']?.post, 'the hold route is documented');
  t.ok(doc.paths['/v1/imvus/{id}/exit/release']?.post, 'the release route is documented');
});

t.test('a section that copies data to list its files is listed once: no size is announced, the bundle still verifies', async (t) => {
  let listings = 0;
  // Stands in for the mail and compute sections, whose listing snapshots mailboxes and
  // flattens disks: the plan must not list them a second time just to count bytes.
  const costly: BundleSection = {
    name: 'costly',
    costly: () => true,
    async *files() {
      listings += 1;
      yield bytesSource('costly/copy.bin', 'application/octet-stream', new Uint8Array([1, 2, 3]));
    },
  };
  const l = await listening(t, [costly]);
  const a = await requestExit(l, owner);
  t.equal(a.status, 200);
  t.equal(listings, 1, 'listed once, while streaming');
  t.notOk(a.headers['x-nexus-exit-size'], 'no size announced');
  t.notOk(a.headers['x-nexus-exit-files'], 'no member count announced');
  t.ok((await unpack(a.body)).some((m) => m.name === 'costly/copy.bin'), 'its file is in the bundle');
  t.equal((await verifyExitBundle([a.body], trustedRoot)).imvu, l.id, 'which verifies');
});
