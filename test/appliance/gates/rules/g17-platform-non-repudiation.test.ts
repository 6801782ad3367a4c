import t from 'tap';
import { platformNonRepudiation as gate } from '../../../../appliance/src/domain/gates/rules/g17-platform-non-repudiation.js';
import { ID, facts, failsWith, judge, passes, request } from '../fixture.js';

t.test('a statement is issued under the platform key, by nobody else', async (t) => {
  const r = judge(gate, request('statement.issue', { actor: ID.platform }));
  passes(t, r);
  t.equal(r.evidence['signedBy'], 'platform key');
  failsWith(t, judge(gate, request('statement.issue', { actor: ID.operator })), 'NOT_PLATFORM_KEY');
  failsWith(t, judge(gate, request('statement.issue')), 'NOT_PLATFORM_KEY');
});

t.test('operator actions pass with the platform countersigning', async (t) => {
  for (const action of ['imvu.suspend', 'imvu.resume', 'quota.change', 'mail.read', 'route.change', 'exit.hold', 'exit.release']) {
    const r = judge(gate, request(action, { actor: ID.operator }));
    passes(t, r, action);
    t.equal(r.evidence['platformKey'], ID.platform);
    t.match(r.evidence['signedBy'], /countersigned by platform key/);
  }
});

t.test('a platform key that is no longer active cannot answer for anything', async (t) => {
  const f = facts({ keys: { [ID.operator]: 'active', [ID.platform]: 'rotated' } });
  const r = judge(gate, request('imvu.suspend', { actor: ID.operator }), f);
  failsWith(t, r, 'PLATFORM_KEY_INACTIVE');
  t.equal(r.evidence['platformKeyStatus'], 'rotated');
});

t.test('role platform under another key is refused (defence in depth)', async (t) => {
  failsWith(t, gate.evaluate(request('imvu.suspend', { actor: ID.operator }), facts(), 'platform'), 'NOT_PLATFORM_KEY');
});
