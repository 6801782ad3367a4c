import t from 'tap';
import { KEY_ROTATION_MEDIA_TYPE, signJsonSync, type Identity, type LocalSigner } from '@nexus-cos/sdk';
import { platform } from '../../helpers/ledger.js';
import { REASON, createImvu, key, operator, register, send, stack } from './harness.js';

const rotate = (old: LocalSigner, newKey: string, signers: LocalSigner[], signedBy: 'old' | 'recovery' = 'old') =>
  signJsonSync(KEY_ROTATION_MEDIA_TYPE, { oldKey: old.publicKey.id, newKey, reason: 'takeover attempt', signedBy, time: '2026-11-26T07:00:00Z' }, signers);

t.test('nobody can rotate onto a key they do not hold, nor onto the platform or an operator key', async (t) => {
  const s = await stack();
  const mallory = key(31);
  await register(s.app, mallory);
  const id = await createImvu(s.app, mallory);
  const count = s.ledger.tree.size;

  // Onto the platform key (public, from /v1/trusted-root): no co-signature is possible.
  let r = await send(s.app, mallory, 'POST', '/v1/identities/rotate', { rotation: rotate(mallory, platform.publicKey.id, [mallory]) });
  t.equal(r.statusCode, 403, `refused: ${r.body}`);
  t.equal(r.json().code, 'GATE_KEY_LIFECYCLE');
  // Even holding it would not help: configured keys are never registered.
  r = await send(s.app, mallory, 'POST', '/v1/identities/rotate', { rotation: rotate(mallory, platform.publicKey.id, [mallory, platform]) });
  t.equal(r.statusCode, 409, 'the platform key is not a registrable identity');
  r = await send(s.app, mallory, 'POST', '/v1/identities/rotate', { rotation: rotate(mallory, operator.publicKey.id, [mallory]) });
  t.equal(r.statusCode, 403, 'nor an operator key');
  // Onto a victim's unregistered key.
  r = await send(s.app, mallory, 'POST', '/v1/identities/rotate', { rotation: rotate(mallory, key(32).publicKey.id, [mallory]) });
  t.equal(r.json().code, 'GATE_KEY_LIFECYCLE', 'without the new key\u2019s co-signature');

  // The operator still works, and the platform key is untouched.
  r = await send(s.app, operator, 'POST', `/v1/imvus/${id}/suspend`, { reason: REASON });
  t.equal(r.statusCode, 200, `the operator still acts: ${r.body}`);
  r = await send(s.app, platform, 'POST', '/v1/identities', { jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.equal(r.statusCode, 409, 'the platform key cannot be registered as a tenant identity');
  t.ok(s.ledger.tree.size > count, 'the refusals were logged');
  await s.close();
});

t.test('recovery keys are shown only to the identity itself', async (t) => {
  const s = await stack();
  const alice = key(33);
  const rec = key(34);
  let r = await send(s.app, alice, 'POST', '/v1/identities', { jurisdiction: 'DE', consents: ['identity.attributes'], recoveryKeys: [rec.publicKey.id] });
  t.equal(r.statusCode, 201, r.body);
  r = await send(s.app, alice, 'GET', `/v1/identities/${alice.publicKey.id}`);
  t.same((r.json() as Identity).recoveryKeys, [rec.publicKey.id], 'the identity sees its recovery keys');
  r = await send(s.app, key(35), 'GET', `/v1/identities/${alice.publicKey.id}`);
  t.equal(r.statusCode, 200);
  t.equal((r.json() as Identity).recoveryKeys, undefined, 'a stranger does not');
  await s.close();
});
