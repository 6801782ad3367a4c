import t from 'tap';
import { KEY_ROTATION_MEDIA_TYPE, LocalSigner, signJsonSync } from '@nexus-cos/sdk';
import { verifyKeyRotation } from '../../../appliance/src/identity/rotation.js';
import { throwsCode } from '../../helpers/codes.js';

const old = LocalSigner.fromSeed(new Uint8Array(32).fill(41));
const next = LocalSigner.fromSeed(new Uint8Array(32).fill(42));
const recovery = LocalSigner.fromSeed(new Uint8Array(32).fill(43));
const stranger = LocalSigner.fromSeed(new Uint8Array(32).fill(44));
const body = (signedBy: 'old' | 'recovery') => ({ oldKey: old.publicKey.id, newKey: next.publicKey.id, reason: 'laptop lost', signedBy, time: '2026-11-26T07:00:00Z' });

t.test('gate 16: a rotation is signed by the old key or a registered recovery key', async (t) => {
  t.equal(verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, body('old'), [old, next]), old.publicKey, [recovery.publicKey]).signedBy, 'old');
  t.equal(verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, body('recovery'), [recovery, next]), old.publicKey, [recovery.publicKey]).signedBy, 'recovery');
  throwsCode(t, () => verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, body('old'), [old]), old.publicKey, [recovery.publicKey]), 'GATE_KEY_LIFECYCLE', 'the new key must co-sign (proof of possession)');
  throwsCode(t, () => verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, { ...body('old'), newKey: stranger.publicKey.id }, [old, next]), old.publicKey, []), 'GATE_KEY_LIFECYCLE', 'nobody can rotate onto a key they do not hold');
  throwsCode(t, () => verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, body('old'), [stranger]), old.publicKey, [recovery.publicKey]), 'GATE_KEY_LIFECYCLE', 'a stranger cannot rotate');
  throwsCode(t, () => verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, body('recovery'), [recovery]), old.publicKey, []), 'GATE_KEY_LIFECYCLE', 'an unregistered recovery key cannot rotate');
  throwsCode(t, () => verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, body('recovery'), [old]), old.publicKey, [recovery.publicKey]), 'GATE_KEY_LIFECYCLE', 'the payload must say who signed');
  throwsCode(t, () => verifyKeyRotation(signJsonSync(KEY_ROTATION_MEDIA_TYPE, { ...body('old'), oldKey: stranger.publicKey.id }, [old]), old.publicKey, []), 'GATE_KEY_LIFECYCLE', 'it must rotate this key');
  throwsCode(t, () => verifyKeyRotation(signJsonSync('application/vnd.nexus-cos.statement.v1+json', body('old'), [old]), old.publicKey, []), 'GATE_KEY_LIFECYCLE', 'payload type is bound');
});
