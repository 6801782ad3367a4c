import t from 'tap';
import { capacityHonesty as gate } from '../../../../appliance/src/domain/gates/rules/g12-capacity-honesty.js';
import { ID, failsWith, judge, passes, request } from '../fixture.js';

t.test('suspensions and quota changes state a reason', async (t) => {
  for (const action of ['imvu.suspend', 'imvu.resume', 'quota.change']) {
    const r = judge(gate, request(action, { actor: ID.operator, reason: '  abuse report #1234  ' }));
    passes(t, r, action);
    t.equal(r.evidence['reason'], '  abuse report #1234  ', 'the reason is recorded as sent');
    failsWith(t, judge(gate, request(action, { actor: ID.operator })), 'NO_REASON', `${action} without reason`);
    failsWith(t, judge(gate, request(action, { actor: ID.operator, reason: '   ' })), 'NO_REASON', `${action} blank`);
    failsWith(t, judge(gate, request(action, { actor: ID.operator, reason: ' because ' })), 'REASON_TOO_SHORT', `${action} 7 chars`);
  }
  const long = judge(gate, request('quota.change', { actor: ID.operator, reason: 'x'.repeat(5000) }));
  passes(t, long);
  t.ok((long.evidence['reason'] ?? '').length <= 201, 'reason truncated in evidence');
});

t.test('a VM is created within its quota', async (t) => {
  const size = { vcpus: 2, memoryMiB: 2048, diskGiB: 20 };
  passes(t, judge(gate, request('vm.create', { params: { ...size, quota: { vcpus: 2, memoryMiB: 4096, diskGiB: 20 } } })), 'at the limit');
  passes(t, judge(gate, request('vm.create', { params: size })), 'no quota given');
  const r = judge(gate, request('vm.create', { params: { ...size, quota: { vcpus: 4, memoryMiB: 1024 } } }));
  failsWith(t, r, 'QUOTA_EXCEEDED');
  t.equal(r.evidence['dimension'], 'memoryMiB');
  failsWith(t, judge(gate, request('vm.create', { params: { ...size, vcpus: 0 } })), 'VM_SIZE_INVALID');
  failsWith(t, judge(gate, request('vm.create', { params: { ...size, diskGiB: 1.5 } })), 'VM_SIZE_INVALID');
  failsWith(t, judge(gate, request('vm.create', { params: { ...size, quota: { vcpus: '4' } } })), 'QUOTA_INVALID');
  failsWith(t, judge(gate, request('vm.create', { params: { ...size, quota: 8 } })), 'QUOTA_INVALID');
});

t.test('the quota judged is what is left, VM count included', async (t) => {
  const size = { vcpus: 1, memoryMiB: 128, diskGiB: 1 };
  passes(t, judge(gate, request('vm.create', { params: { ...size, quota: { vcpus: 1, memoryMiB: 128, diskGiB: 1, vms: 1 } } })), 'one VM left');
  const r = judge(gate, request('vm.create', { params: { ...size, quota: { vcpus: 4, memoryMiB: 4096, diskGiB: 40, vms: 0 } } }));
  failsWith(t, r, 'QUOTA_EXCEEDED', 'no VM left');
  t.equal(r.evidence['dimension'], 'vms');
  failsWith(t, judge(gate, request('vm.create', { params: { ...size, quota: { vms: -1 } } })), 'QUOTA_INVALID');
});

t.test('an import\u2019s VMs together fit the quota its record carries', async (t) => {
  const quota = { vcpus: 4, memoryMiB: 4096, diskGiB: 40, vms: 2 };
  const two = { vms: 2, vcpus: 4, memoryMiB: 4096, diskGiB: 40 };
  passes(t, judge(gate, request('imvu.import', { params: { compute: two, quota } })), 'at the limit');
  passes(t, judge(gate, request('imvu.import', { params: { compute: { vms: 0, vcpus: 0, memoryMiB: 0, diskGiB: 0 }, quota } })), 'no VM');
  const r = judge(gate, request('imvu.import', { params: { compute: { ...two, vms: 3 }, quota } }));
  failsWith(t, r, 'QUOTA_EXCEEDED', 'one VM too many');
  t.match(r.evidence, { dimension: 'vms', vms: '3', limit: '2' });
  const mem = judge(gate, request('imvu.import', { params: { compute: { ...two, memoryMiB: 4097 }, quota } }));
  failsWith(t, mem, 'QUOTA_EXCEEDED', 'summed memory');
  t.equal(mem.evidence['dimension'], 'memoryMiB');
  failsWith(t, judge(gate, request('imvu.import', { params: { compute: two } })), 'QUOTA_INVALID', 'no quota');
  failsWith(t, judge(gate, request('imvu.import', { params: { compute: two, quota: { ...quota, vms: -1 } } })), 'QUOTA_INVALID');
  failsWith(t, judge(gate, request('imvu.import', { params: { quota } })), 'VM_SIZE_INVALID', 'no totals');
});
