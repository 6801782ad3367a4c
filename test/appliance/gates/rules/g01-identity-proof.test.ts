import t from 'tap';
import { identityProof as gate } from '../../../../appliance/src/domain/gates/rules/g01-identity-proof.js';
import { ID, NOW, facts, failsWith, judge, passes, request } from '../fixture.js';

const proof = { signatureValid: true, created: NOW - 1_000, expires: NOW + 59_000, replayed: false };

t.test('an active key with a fresh, verified, unreplayed request passes', async (t) => {
  const r = judge(gate, request('vm.stop'));
  passes(t, r);
  t.equal(r.evidence['keyStatus'], 'active');
  t.equal(r.gate, 1);
  t.equal(r.name, 'Identity Proof');
});

t.test('key status is judged now: revoked, rotated and unknown keys cannot act', async (t) => {
  failsWith(t, judge(gate, request('vm.stop', { actor: ID.revoked })), 'KEY_REVOKED');
  failsWith(t, judge(gate, request('vm.stop', { actor: ID.rotated })), 'KEY_ROTATED');
  failsWith(t, judge(gate, request('vm.stop', { actor: ID.newcomer })), 'KEY_UNKNOWN');
  // Signed while still active, presented after revocation: still refused.
  const f = facts({ keys: { [ID.owner]: 'revoked' } });
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, created: NOW - 200_000, expires: NOW + 50_000 } }), f), 'KEY_REVOKED');
});

t.test('registration: an unknown key proves possession by its signature; revoked keys cannot re-register', async (t) => {
  const r = judge(gate, request('identity.register', { actor: ID.newcomer }));
  passes(t, r);
  t.equal(r.evidence['registration'], 'proof-of-possession');
  failsWith(t, judge(gate, request('identity.register', { actor: ID.revoked })), 'KEY_REVOKED');
  failsWith(t, judge(gate, request('identity.register', { actor: ID.newcomer, proof: { ...proof, signatureValid: false } })), 'SIGNATURE_INVALID');
});

t.test('signature, replay and time window', async (t) => {
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, signatureValid: false } })), 'SIGNATURE_INVALID');
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, replayed: true } })), 'REQUEST_REPLAYED');
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, created: NOW + 30_001, expires: NOW + 60_000 } })), 'CLOCK_SKEW');
  passes(t, judge(gate, request('vm.stop', { proof: { ...proof, created: NOW + 30_000, expires: NOW + 60_000 } })), 'skew of exactly 30 s passes');
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, created: NOW - 60_000, expires: NOW } })), 'REQUEST_EXPIRED');
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, created: NOW - 1_000, expires: NOW - 1_000 + 300_001 } })), 'REQUEST_TOO_LONG_LIVED');
  passes(t, judge(gate, request('vm.stop', { proof: { ...proof, created: NOW - 1_000, expires: NOW - 1_000 + 300_000 } })), 'exactly 5 min passes');
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, created: NOW + 20_000, expires: NOW + 10_000 } })), 'REQUEST_WINDOW_INVALID');
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, created: Number.NaN } })), 'REQUEST_WINDOW_INVALID');
  failsWith(t, judge(gate, request('vm.stop', { proof: { ...proof, expires: 1e300 } })), 'REQUEST_WINDOW_INVALID');
});

t.test('the platform and the operator are held to the same proof', async (t) => {
  failsWith(t, judge(gate, request('imvu.suspend', { actor: ID.operator, proof: { ...proof, replayed: true } })), 'REQUEST_REPLAYED');
  failsWith(t, judge(gate, request('statement.issue', { actor: ID.platform }), facts({ keys: { [ID.platform]: 'revoked' } })), 'KEY_REVOKED');
});
