import t from 'tap';
import { resourceBinding as gate, resourceImvu } from '../../../../appliance/src/domain/gates/rules/g02-resource-binding.js';
import { ID, facts, failsWith, imvuFacts, judge, passes, request } from '../fixture.js';

t.test('the owner, a delegate within scope and the platform are bound', async (t) => {
  const owner = judge(gate, request('vm.stop', { resource: 'vm:IMVU-042/web-1' }));
  passes(t, owner);
  t.equal(owner.evidence['owner'], ID.owner);
  const del = judge(gate, request('vm.stop', { actor: ID.delegate, resource: 'vm:IMVU-042/web-1' }));
  passes(t, del, 'delegate');
  t.equal(del.evidence['binding'], 'delegate');
  passes(t, judge(gate, request('vm.stop', { actor: ID.platform })), 'platform');
});

t.test('strangers and delegates outside their scope hold no delegation', async (t) => {
  failsWith(t, judge(gate, request('vm.stop', { actor: ID.stranger })), 'NO_DELEGATION');
  failsWith(t, judge(gate, request('mail.send', { actor: ID.delegate })), 'NO_DELEGATION');
});

t.test('the operator binds through its office only, for operator actions (no god mode)', async (t) => {
  const r = judge(gate, request('imvu.suspend', { actor: ID.operator, reason: 'abuse report #1234' }));
  passes(t, r);
  t.equal(r.evidence['role'], 'operator');
  failsWith(t, judge(gate, request('vm.create', { actor: ID.operator })), 'NOT_BOUND');
  failsWith(t, judge(gate, request('dns.change', { actor: ID.operator })), 'NOT_BOUND');
});

t.test('only the owner manages delegations', async (t) => {
  passes(t, judge(gate, request('delegation.grant')));
  failsWith(t, judge(gate, request('delegation.grant', { actor: ID.delegate }), facts({ delegations: { [`IMVU-042 ${ID.delegate}`]: ['delegation'] } })), 'NOT_OWNER');
  failsWith(t, judge(gate, request('delegation.revoke', { actor: ID.platform })), 'NOT_OWNER');
});

t.test('imvu.create binds the new IMVU to its creator and nobody else', async (t) => {
  const create = { imvu: 'IMVU-043', resource: 'imvu:IMVU-043' } as const;
  passes(t, judge(gate, request('imvu.create', { ...create, params: { owner: ID.owner } })));
  failsWith(t, judge(gate, request('imvu.create', { ...create, params: { owner: ID.stranger } })), 'NOT_BOUND');
  failsWith(t, judge(gate, request('imvu.create', { ...create })), 'NOT_BOUND');
  failsWith(t, judge(gate, request('imvu.create', { params: { owner: ID.owner } })), 'IMVU_EXISTS');
});

t.test('imvu.import binds only the owner the bundle names, and only an IMVU this appliance lacks', async (t) => {
  const imported = { imvu: 'IMVU-043', resource: 'imvu:IMVU-043' } as const;
  passes(t, judge(gate, request('imvu.import', { ...imported, params: { owner: ID.owner } })));
  failsWith(t, judge(gate, request('imvu.import', { ...imported, params: { owner: ID.stranger } })), 'NOT_BOUND');
  failsWith(t, judge(gate, request('imvu.import', { ...imported, actor: ID.operator, params: { owner: ID.owner } })), 'NOT_BOUND');
  failsWith(t, judge(gate, request('imvu.import', { params: { owner: ID.owner } })), 'IMVU_EXISTS');
});

t.test('the IMVU must exist and the resource must lie in it', async (t) => {
  failsWith(t, judge(gate, request('vm.stop', { imvu: 'IMVU-999' })), 'IMVU_UNKNOWN');
  const { imvu: _omit, ...noImvu } = request('vm.stop');
  failsWith(t, judge(gate, noImvu), 'NO_IMVU');
  const other = facts({ imvus: [imvuFacts(), imvuFacts({ id: 'IMVU-043', owner: ID.stranger })] });
  failsWith(t, judge(gate, request('vm.stop', { resource: 'vm:IMVU-043/db' }), other), 'RESOURCE_MISMATCH');
  t.equal(resourceImvu('vm:IMVU-042/web-1'), 'IMVU-042');
  t.equal(resourceImvu('domain:example.org'), undefined);
});

t.test('a suspended IMVU may only exit, withdraw consents, be billed and be acted on by the operator', async (t) => {
  const suspended = facts({ imvus: [imvuFacts({ status: 'suspended' })] });
  failsWith(t, judge(gate, request('vm.start', { resource: 'vm:IMVU-042/web-1' }), suspended), 'IMVU_SUSPENDED', 'no new work');
  failsWith(t, judge(gate, request('dns.change', { actor: ID.delegate }), suspended), 'IMVU_SUSPENDED', 'delegates too');
  passes(t, judge(gate, request('exit.start'), suspended), 'exit is never blocked');
  passes(t, judge(gate, request('consent.withdraw'), suspended), 'a withdrawal is honoured');
  passes(t, judge(gate, request('imvu.resume', { actor: ID.operator }), suspended), 'the operator can resume');
  passes(t, judge(gate, request('statement.issue', { actor: ID.platform }), suspended), 'billing continues');
});
