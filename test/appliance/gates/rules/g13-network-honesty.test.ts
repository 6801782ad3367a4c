import t from 'tap';
import { networkHonesty as gate } from '../../../../appliance/src/domain/gates/rules/g13-network-honesty.js';
import { DIGEST, ID, failsWith, judge, passes, request } from '../fixture.js';

t.test('a route change is declared and explained', async (t) => {
  const r = judge(gate, request('route.change', { actor: ID.operator, reason: 'upstream maintenance window', params: { declared: DIGEST } }));
  passes(t, r);
  t.equal(r.evidence['declared'], DIGEST);
  failsWith(t, judge(gate, request('route.change', { actor: ID.operator, params: { declared: DIGEST } })), 'NO_REASON');
  failsWith(t, judge(gate, request('route.change', { actor: ID.operator, reason: 'upstream maintenance window' })), 'NO_DECLARED_POLICY');
  failsWith(t, judge(gate, request('route.change', { actor: ID.operator, reason: 'upstream maintenance window', params: { declared: DIGEST.toUpperCase() } })), 'DECLARED_POLICY_INVALID');
});

t.test('a network is created under a declared policy', async (t) => {
  passes(t, judge(gate, request('network.create', { params: { declared: DIGEST } })));
  failsWith(t, judge(gate, request('network.create')), 'NO_DECLARED_POLICY');
  failsWith(t, judge(gate, request('network.create', { params: { declared: 'abc' } })), 'DECLARED_POLICY_INVALID');
});
