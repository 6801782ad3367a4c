import t from 'tap';
import {
  KEY_ROTATION_MEDIA_TYPE,
  loadTrustedRoot,
  signJsonSync,
  verifyConsistencyProof,
  verifyInclusionProof,
  verifyLedgerSlice,
  type Identity,
  type Imvu,
  type LocalSigner,
} from '@nexus-cos/sdk';
import { REASON, createImvu, entries, key, operator, register, send, stack } from './harness.js';

// Signed by `by` (the old key or a recovery key) and co-signed by the new key, which proves
// possession of it.
const rotation = (old: LocalSigner, next: LocalSigner, by: LocalSigner, signedBy: 'old' | 'recovery') =>
  signJsonSync(KEY_ROTATION_MEDIA_TYPE, { oldKey: old.publicKey.id, newKey: next.publicKey.id, reason: 'laptop lost', signedBy, time: '2026-11-26T07:00:00Z' }, [by, next]);

t.test('register, create, read, consent, rotate: a rotated or revoked key cannot act', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const alice = key(1);
  const bob = key(2);
  await register(s.app, alice);
  let r = await send(s.app, alice, 'POST', '/v1/identities', { jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.equal(r.json().code, 'CONFLICT', 'a key registers once');
  const id = await createImvu(s.app, alice);
  t.equal(id, 'IMVU-001', 'ids are assigned sequentially from IMVU-001');

  r = await send(s.app, alice, 'GET', `/v1/imvus/${id}`);
  t.equal(r.statusCode, 200);
  const imvu = r.json() as Imvu;
  t.equal(imvu.owner, alice.publicKey.id);
  t.equal(imvu.jurisdiction, 'DE');
  t.same(imvu.consents.map((c) => c.purpose), ['identity.attributes']);
  r = await send(s.app, alice, 'GET', '/v1/imvus');
  t.same((r.json() as Imvu[]).map((i) => i.id), [id], 'the owner lists its IMVU');

  await register(s.app, bob);
  r = await send(s.app, bob, 'GET', `/v1/imvus/${id}`);
  t.equal(r.statusCode, 403, 'a stranger cannot read it');
  t.equal(r.json().code, 'GATE_RESOURCE_BINDING');
  t.same((await send(s.app, bob, 'GET', '/v1/imvus')).json(), [], 'nor list it');
  t.equal((await send(s.app, alice, 'GET', '/v1/imvus/IMVU-999')).json().code, 'NOT_FOUND');

  r = await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' });
  t.equal(r.statusCode, 200);
  t.ok((r.json() as Imvu).consents.some((c) => c.purpose === 'mail.processing' && c.withdrawnAt === undefined), 'consent granted');
  r = await send(s.app, alice, 'DELETE', `/v1/imvus/${id}/consents/mail.processing`);
  t.equal(r.statusCode, 200);
  t.ok((r.json() as Imvu).consents.some((c) => c.purpose === 'mail.processing' && c.withdrawnAt !== undefined), 'consent withdrawn, history kept');
  t.equal((await send(s.app, alice, 'DELETE', `/v1/imvus/${id}/consents/mail.processing`)).json().code, 'NOT_FOUND', 'nothing left to withdraw');
  const consentLog = entries(s.ledger).filter((e) => e.kind === 'consent' && e.imvu === id);
  t.same(consentLog.map((e) => (e.kind === 'consent' ? `${e.op}:${e.purpose}` : '')), ['grant:identity.attributes', 'grant:mail.processing', 'withdraw:mail.processing'], 'each consent change is a consent entry in the IMVU chain');

  // Rotation, signed by the old key.
  const alice2 = key(3);
  r = await send(s.app, alice, 'POST', '/v1/identities/rotate', { rotation: rotation(alice, alice2, alice, 'old') });
  t.equal(r.statusCode, 200, r.body);
  t.equal((r.json() as Identity).id, alice2.publicKey.id, 'answers with the new identity');
  const old = (await send(s.app, alice2, 'GET', `/v1/identities/${alice.publicKey.id}`)).json() as Identity;
  t.equal(old.status, 'rotated');
  t.equal(old.successor, alice2.publicKey.id);
  r = await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' });
  t.equal(r.statusCode, 403, 'the rotated key cannot act');
  t.equal(r.json().code, 'GATE_IDENTITY_PROOF');
  r = await send(s.app, alice2, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' });
  t.equal(r.statusCode, 200, 'the new key owns the IMVU');
  t.equal((r.json() as Imvu).owner, alice2.publicKey.id);
  const rot = entries(s.ledger).find((e) => e.kind === 'key_rotation');
  t.ok(rot?.kind === 'key_rotation' && rot.oldKey === alice.publicKey.id && rot.newKey === alice2.publicKey.id && rot.signedBy === 'old', 'the rotation is a key_rotation entry');
  t.ok(entries(s.ledger).some((e) => e.kind === 'audit' && e.imvu === id && e.action === 'identity.rotate'), "the owner change is in the IMVU's chain");

  // A rotation signed by a stranger is refused and logged.
  const before = s.ledger.tree.size;
  r = await send(s.app, alice2, 'POST', '/v1/identities/rotate', { rotation: rotation(alice2, key(4), bob, 'old') });
  t.equal(r.json().code, 'GATE_KEY_LIFECYCLE');
  t.same(entries(s.ledger).slice(before).map((e) => e.kind), ['gate_decision'], 'only the denial was written');

  // Revocation.
  r = await send(s.app, bob, 'POST', '/v1/identities/revoke', { reason: 'key leaked' });
  t.equal((r.json() as Identity).status, 'revoked');
  r = await send(s.app, bob, 'POST', '/v1/imvus', { jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.equal(r.json().code, 'GATE_IDENTITY_PROOF', 'a revoked key cannot act');
  r = await send(s.app, bob, 'POST', '/v1/identities/rotate', { rotation: rotation(bob, key(5), bob, 'old') });
  t.equal(r.statusCode, 403, 'nor rotate itself back to life');
});

t.test('a recovery key rotates a lost key', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const carol = key(10);
  const rec = key(11);
  const carol2 = key(12);
  let r = await send(s.app, carol, 'POST', '/v1/identities', { jurisdiction: 'FR', consents: ['identity.attributes'] });
  t.equal(r.statusCode, 201);
  r = await send(s.app, carol, 'POST', '/v1/identities/recovery', { recoveryKey: rec.publicKey.id });
  t.same((r.json() as Identity).recoveryKeys, [rec.publicKey.id]);
  t.equal((await send(s.app, carol, 'POST', '/v1/identities/recovery', { recoveryKey: rec.publicKey.id })).json().code, 'CONFLICT');
  await register(s.app, rec);
  r = await send(s.app, rec, 'POST', '/v1/identities/rotate', { rotation: rotation(carol, carol2, rec, 'recovery') });
  t.equal(r.statusCode, 200, r.body);
  t.same((r.json() as Identity).recoveryKeys, [rec.publicKey.id], 'the recovery key carries over');
  t.equal(((await send(s.app, rec, 'GET', `/v1/identities/${carol.publicKey.id}`)).json() as Identity).status, 'rotated');
});

t.test('operator actions need a reason, and the notice is logged before the effect', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const alice = key(1);
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  const ops = (await send(s.app, operator, 'GET', '/v1/imvus')).json() as Imvu[];
  t.same(ops.map((i) => i.id), [id], 'the operator lists every IMVU');

  let before = s.ledger.tree.size;
  let r = await send(s.app, operator, 'POST', `/v1/imvus/${id}/suspend`, {});
  t.equal(r.statusCode, 403);
  t.equal(r.json().code, 'GATE_CAPACITY_HONESTY', 'no silent suspension');
  let added = entries(s.ledger).slice(before);
  t.same(added.map((e) => `${e.kind}:${e.imvu}`), [`gate_decision:${id}`], "the denial is in the IMVU's log, and no notice");
  t.equal(((await send(s.app, alice, 'GET', `/v1/imvus/${id}`)).json() as Imvu).status, 'active', 'nothing changed');

  r = await send(s.app, alice, 'POST', `/v1/imvus/${id}/suspend`, { reason: REASON });
  t.equal(r.json().code, 'POLICY_DENIED', 'the owner cannot suspend (operator action)');

  before = s.ledger.tree.size;
  r = await send(s.app, operator, 'POST', `/v1/imvus/${id}/suspend`, { reason: REASON });
  t.equal(r.statusCode, 200, r.body);
  t.equal((r.json() as Imvu).status, 'suspended');
  added = entries(s.ledger).slice(before);
  t.same(added.map((e) => e.kind), ['gate_decision', 'notice', 'audit'], 'decision, then notice, then the effect');
  t.ok(added.every((e) => e.imvu === id), "all in the IMVU's own chain");
  const notice = added[1];
  t.equal(notice?.kind === 'notice' ? notice.reason : '', REASON, 'the notice carries the reason');
  t.equal((await send(s.app, operator, 'POST', `/v1/imvus/${id}/suspend`, { reason: REASON })).json().code, 'CONFLICT', 'already suspended');

  r = await send(s.app, operator, 'POST', `/v1/imvus/${id}/quota`, { quotas: { vcpus: 2, memoryMiB: 4096, diskGiB: 50, vms: 2 } });
  t.equal(r.json().code, 'GATE_CAPACITY_HONESTY', 'no silent throttling');
  r = await send(s.app, operator, 'POST', `/v1/imvus/${id}/quota`, { quotas: { vcpus: 2, memoryMiB: 4096, diskGiB: 50, vms: 2 }, reason: REASON });
  t.same((r.json() as Imvu).quotas, { vcpus: 2, memoryMiB: 4096, diskGiB: 50, vms: 2 });
  r = await send(s.app, operator, 'POST', `/v1/imvus/${id}/resume`, { reason: REASON });
  t.equal((r.json() as Imvu).status, 'active');
  r = await send(s.app, alice, 'PATCH', `/v1/imvus/${id}`, { jurisdiction: 'DE-BY' });
  t.equal((r.json() as Imvu).jurisdiction, 'DE-BY', 'the owner updates the jurisdiction');
  r = await send(s.app, alice, 'PATCH', `/v1/imvus/${id}`, { jurisdiction: 'US' });
  t.equal(r.json().code, 'GATE_DATA_RESIDENCY', 'not to one its storage cannot hold');
});

t.test("the IMVU's ledger slice verifies offline against the served trusted root", async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const alice = key(1);
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' });
  await send(s.app, operator, 'POST', `/v1/imvus/${id}/suspend`, { reason: REASON });

  const root = loadTrustedRoot((await send(s.app, null, 'GET', '/v1/trusted-root')).json());
  const r = await send(s.app, alice, 'GET', `/v1/imvus/${id}/ledger`);
  t.equal(r.statusCode, 200);
  const slice = verifyLedgerSlice(r.json(), root);
  t.equal(slice.head.chain, id);
  t.same(slice.entries.map((e) => e.entry.kind), ['audit', 'consent', 'gate_decision', 'audit', 'consent', 'gate_decision', 'notice', 'audit'], 'the complete chain');
  const stranger = key(19);
  await register(s.app, stranger);
  t.equal((await send(s.app, stranger, 'GET', `/v1/imvus/${id}/ledger`)).statusCode, 403, "a stranger cannot read the IMVU's ledger");

  const cp = await send(s.app, null, 'GET', '/v1/checkpoint');
  t.match(cp.headers['content-type'], /^text\/plain/);
  t.match(cp.body, /^test\.nexus-cos\.invalid\/ledger\n\d+\n/, 'a C2SP checkpoint note');
  const incl = await send(s.app, null, 'GET', '/v1/proofs/inclusion/0');
  t.ok(verifyInclusionProof(incl.json(), root), 'inclusion proof verifies');
  const size = Number(cp.body.split('\n')[1]);
  await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'export.third-party' });
  await send(s.app, alice, 'GET', `/v1/imvus/${id}/ledger`); // signs a newer checkpoint
  const newer = Number((await send(s.app, null, 'GET', '/v1/checkpoint')).body.split('\n')[1]);
  const cons = await send(s.app, null, 'GET', `/v1/proofs/consistency?old=${size}&new=${newer}`);
  t.equal(cons.statusCode, 200, cons.body);
  t.ok(verifyConsistencyProof(cons.json(), root), 'consistency proof verifies');
  t.equal((await send(s.app, null, 'GET', `/v1/proofs/consistency?old=3&new=${newer}`)).json().code, 'NOT_FOUND', 'only signed sizes');
});

t.test('health, metrics and the OpenAPI document', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const alice = key(1);
  await register(s.app, alice);
  await send(s.app, operator, 'POST', '/v1/imvus/IMVU-001/suspend', {});
  const h = await send(s.app, null, 'GET', '/healthz');
  t.same(h.json(), { status: 'ok', components: { ledger: { status: 'ok' } } });
  const m = (await send(s.app, null, 'GET', '/metrics')).body;
  t.match(m, /nexus_http_requests_total\{method="POST",route="\/v1\/identities",status="201"\} 1/);
  t.match(m, /nexus_http_request_duration_seconds_bucket\{route="\/v1\/identities",le="\+Inf"\} 1/);
  t.match(m, new RegExp(`nexus_ledger_entries ${s.ledger.tree.size}`));
  t.match(m, /nexus_http_requests_total\{method="POST",route="\/v1\/imvus\/:id\/suspend",status="404"\} 1/, 'unknown IMVU: 404');
  const doc = (await send(s.app, null, 'GET', '/openapi.json')).json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
  t.equal(doc.openapi, '3.1.0');
  t.ok(doc.paths['/v1/imvus/{id}/consents']?.['post'], 'routes are documented from their schemas');
  t.ok(doc.paths['/v1/identities']?.['post']);
});
