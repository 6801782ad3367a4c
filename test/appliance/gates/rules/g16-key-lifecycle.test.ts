import t from 'tap';
import { keyLifecycle as gate } from '../../../../appliance/src/domain/gates/rules/g16-key-lifecycle.js';
import { ID, failsWith, judge, passes, request } from '../fixture.js';

const key = (action: string, actor: string, params: Record<string, unknown>) => {
  const { imvu: _omit, ...r } = request(action, { actor, resource: `identity:${actor}`, params });
  return r;
};

t.test('a key change signed by the old or a recovery key passes', async (t) => {
  for (const action of ['identity.rotate', 'identity.revoke', 'identity.recovery.add']) {
    passes(t, judge(gate, key(action, ID.owner, { signedBy: 'old', signatureValid: true })), `${action} by old`);
    passes(t, judge(gate, key(action, ID.owner, { signedBy: 'recovery', signatureValid: true })), `${action} by recovery`);
  }
});

t.test('an unsigned or wrongly signed key change fails', async (t) => {
  failsWith(t, judge(gate, key('identity.rotate', ID.owner, { signedBy: 'new', signatureValid: true })), 'ROTATION_UNSIGNED');
  failsWith(t, judge(gate, key('identity.rotate', ID.owner, { signedBy: 'old', signatureValid: false })), 'ROTATION_UNSIGNED');
  failsWith(t, judge(gate, key('identity.rotate', ID.owner, { signedBy: 'old', signatureValid: 'true' })), 'ROTATION_UNSIGNED');
  failsWith(t, judge(gate, key('identity.rotate', ID.owner, {})), 'ROTATION_UNSIGNED');
});

t.test('a revoked or replaced key cannot act', async (t) => {
  failsWith(t, judge(gate, key('identity.rotate', ID.revoked, { signedBy: 'old', signatureValid: true })), 'KEY_REVOKED');
  failsWith(t, judge(gate, key('identity.recovery.add', ID.rotated, { signedBy: 'old', signatureValid: true })), 'KEY_NOT_ACTIVE');
  failsWith(t, judge(gate, key('identity.rotate', ID.newcomer, { signedBy: 'old', signatureValid: true })), 'KEY_NOT_ACTIVE');
});
