import t from 'tap';
import { readFileSync } from 'node:fs';
import { LocalSigner, NexusClient, isNexusError, sha256, toHex, utf8, type Imvu } from '../../../sdk/src/index.js';
import { rejectsCode } from '../../helpers/codes.js';
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import { sliceArtifact } from '../../../appliance/src/ledger/proofs.js';
import { openLedger, tempDb, usage } from '../../helpers/ledger.js';
import { FakeAppliance } from './server.js';
import { identityOf, imvuOf, trustedRootOf } from './fixtures.js';

const artifact = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../spec/vectors/artifacts/${name}`, import.meta.url), 'utf8'));

const me = LocalSigner.generate();
const other = LocalSigner.generate();
const fake = await FakeAppliance.start();
t.teardown(() => fake.close());
const client = new NexusClient({ baseUrl: fake.url, signer: me, retryDelayMs: 1 });
t.teardown(() => client.close());

// A real slice, from a real ledger, so the client's schema check sees the real shape.
const ledger = openLedger(tempDb());
await recordUsage(ledger, usage('IMVU-001', 0));
ledger.checkpoint();
const slice = sliceArtifact(ledger, 'IMVU-001');
await ledger.close();

const imvu = imvuOf(me);
const rotation = { payloadType: 'application/vnd.nexus-cos.key-rotation.v1+json', payload: 'e30=', signatures: [{ keyid: me.publicKey.id, sig: 'A'.repeat(86) + '==' }] };

// Every route: the method, the exact target, the body, and the answer the client returns.
const ROUTES: [string, () => Promise<unknown>, string, string, unknown, unknown][] = [
  ['registerIdentity', () => client.registerIdentity({ jurisdiction: 'DE', consents: ['identity.attributes'], recoveryKeys: [other.publicKey.id] }), 'POST', '/v1/identities', { consents: ['identity.attributes'], jurisdiction: 'DE', recoveryKeys: [other.publicKey.id] }, identityOf(me)],
  ['rotateKey', () => client.rotateKey(rotation), 'POST', '/v1/identities/rotate', { rotation }, identityOf(me)],
  ['revokeKey', () => client.revokeKey('lost laptop'), 'POST', '/v1/identities/revoke', { reason: 'lost laptop' }, identityOf(me)],
  ['addRecoveryKey', () => client.addRecoveryKey(other.publicKey.id), 'POST', '/v1/identities/recovery', { recoveryKey: other.publicKey.id }, identityOf(me)],
  ['getIdentity', () => client.getIdentity(other.publicKey.id), 'GET', `/v1/identities/${other.publicKey.id}`, undefined, identityOf(other)],
  ['createImvu', () => client.createImvu({ jurisdiction: 'DE', consents: ['mail.processing'], quotas: imvu.quotas }), 'POST', '/v1/imvus', { consents: ['mail.processing'], jurisdiction: 'DE', quotas: imvu.quotas }, imvu],
  ['listImvus', () => client.listImvus(), 'GET', '/v1/imvus', undefined, [imvu]],
  ['getImvu', () => client.getImvu('IMVU-001'), 'GET', '/v1/imvus/IMVU-001', undefined, imvu],
  ['updateImvu', () => client.updateImvu('IMVU-001', { jurisdiction: 'FR' }), 'PATCH', '/v1/imvus/IMVU-001', { jurisdiction: 'FR' }, imvu],
  ['suspendImvu', () => client.suspendImvu('IMVU-001', 'abuse report 17'), 'POST', '/v1/imvus/IMVU-001/suspend', { reason: 'abuse report 17' }, imvu],
  ['resumeImvu', () => client.resumeImvu('IMVU-001', 'resolved'), 'POST', '/v1/imvus/IMVU-001/resume', { reason: 'resolved' }, imvu],
  ['changeQuota', () => client.changeQuota('IMVU-001', imvu.quotas, 'upgrade'), 'POST', '/v1/imvus/IMVU-001/quota', { quotas: imvu.quotas, reason: 'upgrade' }, imvu],
  ['grantConsent', () => client.grantConsent('IMVU-001', 'mail.processing'), 'POST', '/v1/imvus/IMVU-001/consents', { purpose: 'mail.processing' }, imvu],
  ['withdrawConsent', () => client.withdrawConsent('IMVU-001', 'mail.processing'), 'DELETE', '/v1/imvus/IMVU-001/consents/mail.processing', undefined, imvu],
  ['getLedgerSlice', () => client.getLedgerSlice('IMVU-001'), 'GET', '/v1/imvus/IMVU-001/ledger', undefined, slice],
  ['getTrustedRoot', () => client.getTrustedRoot(), 'GET', '/v1/trusted-root', undefined, trustedRootOf(me)],
  ['getInclusionProof', () => client.getInclusionProof(17), 'GET', '/v1/proofs/inclusion/17', undefined, artifact('inclusion.json')],
  ['getConsistencyProof', () => client.getConsistencyProof(3, 9), 'GET', '/v1/proofs/consistency?old=3&new=9', undefined, artifact('consistency.json')],
  ['health', () => client.health(), 'GET', '/healthz', undefined, { status: 'ok', components: { ledger: { status: 'ok' } } }],
];

t.test('every route: method, exact target and body, signed over the bytes sent; the answer comes back typed', async (t) => {
  for (const [name, call, method, url, body, answer] of ROUTES) {
    fake.reset();
    fake.answer({ status: name === 'registerIdentity' || name === 'createImvu' ? 201 : 200, body: answer });
    t.same(await call(), answer, `${name}: returns the server's answer`);
    const [seen] = fake.seen;
    t.equal(seen?.method, method, `${name}: ${method}`);
    t.equal(seen?.url, url, `${name}: ${url}`);
    t.same(seen?.body.length === 0 ? undefined : JSON.parse(seen?.body.toString() ?? ''), body, `${name}: body`);
    t.equal(seen?.signatureError, undefined, `${name}: the signature verifies over the bytes that arrived`);
    t.equal(seen?.signed?.actor, me.publicKey.id, `${name}: signed by the client's identity`);
    t.equal(seen?.signed?.bodySha256, toHex(sha256(seen?.body ?? utf8(''))), `${name}: body digest`);
  }
  t.equal(ROUTES.length, 19, 'every JSON route is exercised (the checkpoint is text, below)');
});

t.test('the checkpoint is returned as text', async (t) => {
  fake.reset();
  fake.answer({ status: 200, type: 'text/plain; charset=utf-8', body: 'origin\n1\nAAAA\n\n— sig\n' });
  t.equal(await client.getCheckpoint(), 'origin\n1\nAAAA\n\n— sig\n');
});

t.test('a refusal arrives as a NexusError with the server\'s code and field', async (t) => {
  fake.reset();
  fake.answer({ status: 403, body: { code: 'GATE_CONSENT', message: 'no consent for mail.processing', field: '/consents' } });
  try {
    await client.createImvu({ jurisdiction: 'DE', consents: [] });
    t.fail('did not throw');
  } catch (e) {
    t.ok(isNexusError(e));
    t.equal(isNexusError(e) && e.code, 'GATE_CONSENT');
    t.equal(isNexusError(e) && e.field, '/consents');
  }
  fake.answer({ status: 409, body: { code: 'NOT_A_DOCUMENTED_CODE', message: 'x' } });
  await rejectsCode(t, () => client.createImvu({ jurisdiction: 'DE', consents: [] }), 'HTTP_ERROR', 'an undocumented code is HTTP_ERROR');
  fake.answer({ status: 502, type: 'text/html', body: '<html>bad gateway</html>' });
  await rejectsCode(t, () => client.createImvu({ jurisdiction: 'DE', consents: [] }), 'HTTP_ERROR', 'a proxy page is HTTP_ERROR');
  fake.answer({ status: 200, type: 'text/html', body: '<html>hello</html>' });
  await rejectsCode(t, () => client.getImvu('IMVU-001'), 'HTTP_ERROR', 'a 200 that is not JSON is HTTP_ERROR');
  fake.answer({ status: 200, body: { ...imvu, jurisdiction: 'germany' } });
  await rejectsCode(t, () => client.getImvu('IMVU-001'), 'PAYLOAD_INVALID', 'an answer off its schema is refused');
  fake.answer({ status: 200, body: { imvus: [imvu] } });
  await rejectsCode(t, () => client.listImvus(), 'PAYLOAD_INVALID', 'a list that is not an array is refused');
});

t.test('GET and DELETE are retried on 503 and network errors, each attempt signed anew', async (t) => {
  fake.reset();
  fake.answer({ status: 503, body: { code: 'LEDGER_UNAVAILABLE', message: 'busy' } }, { status: 0, reset: true }, { status: 200, body: imvu });
  t.same(await client.getImvu('IMVU-001'), imvu, 'third attempt succeeds');
  t.equal(fake.seen.length, 3);
  t.equal(new Set(fake.seen.map((s) => s.signed?.nonce)).size, 3, 'a fresh nonce per attempt (a replay would be refused)');

  fake.reset();
  fake.fallback({ status: 503, body: { code: 'LEDGER_UNAVAILABLE', message: 'busy' } });
  await rejectsCode(t, () => client.withdrawConsent('IMVU-001', 'mail.processing'), 'LEDGER_UNAVAILABLE', 'the last answer\'s code, after the retries');
  t.equal(fake.seen.length, 4, 'DELETE: one attempt plus 3 retries, no more');
});

t.test('POST and PATCH are never retried', async (t) => {
  for (const [call, name] of [
    [() => client.createImvu({ jurisdiction: 'DE', consents: [] }), 'POST'],
    [() => client.updateImvu('IMVU-001', { jurisdiction: 'FR' }), 'PATCH'],
  ] as const) {
    fake.reset();
    fake.fallback({ status: 503, body: { code: 'LEDGER_UNAVAILABLE', message: 'busy' } });
    await rejectsCode(t, call, 'LEDGER_UNAVAILABLE', `${name}: 503 surfaces`);
    t.equal(fake.seen.length, 1, `${name} on 503: one attempt`);
    fake.reset();
    fake.fallback({ status: 0, reset: true });
    await rejectsCode(t, call, 'HTTP_ERROR', `${name}: a reset connection is HTTP_ERROR`);
    t.equal(fake.seen.length, 1, `${name} on a reset: one attempt (the effect may have happened)`);
  }
});

t.test('an unreachable appliance is HTTP_ERROR after the retries', async (t) => {
  const down = await FakeAppliance.start();
  const url = down.url;
  await down.close();
  const c = new NexusClient({ baseUrl: url, signer: me, retryDelayMs: 1 });
  await rejectsCode(t, () => c.getTrustedRoot(), 'HTTP_ERROR');
  await c.close();
});

t.test('a remote base URL with a path prefix: the prefix is sent and signed', async (t) => {
  fake.reset();
  fake.answer({ status: 200, body: imvu });
  const c = new NexusClient({ baseUrl: `${fake.url}/nexus/`, signer: me });
  await c.getImvu('IMVU-001');
  t.equal(fake.seen[0]?.url, '/nexus/v1/imvus/IMVU-001');
  t.equal(fake.seen[0]?.signed?.path, '/nexus/v1/imvus/IMVU-001', 'the signed path is the target as sent');
  await c.close();
  t.throws(() => new NexusClient({ baseUrl: 'ftp://example.net' }), { code: 'INPUT_INVALID' });
  t.throws(() => new NexusClient({ baseUrl: 'https://u:p@example.net' }), { code: 'INPUT_INVALID' });
  t.throws(() => new NexusClient({ baseUrl: 'https://example.net', headers: { Authorization: 'x' } }), { code: 'INPUT_INVALID' });
});

t.test('without a signer, requests go unsigned; health accepts a 503 report', async (t) => {
  fake.reset();
  const anon = new NexusClient({ baseUrl: fake.url, retryDelayMs: 1 });
  fake.answer({ status: 503, body: { status: 'degraded', components: { knot: { status: 'restarting' } } } });
  const h = await anon.health();
  t.equal(h.status, 'degraded');
  t.equal(fake.seen.length, 1, 'a 503 health report is an answer, not retried');
  t.equal(fake.seen[0]?.signed, undefined, 'no Authorization header');
  await anon.close();
});

t.test('bad arguments are refused before anything is sent', async (t) => {
  fake.reset();
  await rejectsCode(t, () => client.getInclusionProof(-1), 'INPUT_INVALID');
  await rejectsCode(t, () => client.getConsistencyProof(1.5, 2), 'INPUT_INVALID');
  await rejectsCode(t, () => client.changeQuota('IMVU-001', { ...imvu.quotas, vcpus: 1.5 } as Imvu['quotas'], 'x'), 'CANONICAL_JSON_UNSUPPORTED');
  t.equal(fake.seen.length, 0);
});
