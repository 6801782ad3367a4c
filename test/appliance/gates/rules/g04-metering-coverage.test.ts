import t from 'tap';
import { meteringCoverage as gate } from '../../../../appliance/src/domain/gates/rules/g04-metering-coverage.js';
import { failsWith, judge, passes, request } from '../fixture.js';

t.test('a resource with an attached meter passes; one without fails', async (t) => {
  passes(t, judge(gate, request('vm.start', { resource: 'vm:IMVU-042/web-1' })));
  const r = judge(gate, request('vm.start', { resource: 'vm:IMVU-042/web-2' }));
  failsWith(t, r, 'METER_MISSING');
  t.equal(r.evidence['resource'], 'vm:IMVU-042/web-2');
});

t.test('an import needs a meter on every billable resource it creates, and names the first without', async (t) => {
  const billable = ['domain:example.org', 'vm:IMVU-042/web-1'];
  const ok = judge(gate, request('imvu.import', { resource: 'imvu:IMVU-042', params: { billable } }));
  passes(t, ok);
  t.equal(ok.evidence['resources'], '2');
  passes(t, judge(gate, request('imvu.import', { resource: 'imvu:IMVU-042', params: { billable: [] } })), 'nothing billable');
  const r = judge(gate, request('imvu.import', { resource: 'imvu:IMVU-042', params: { billable: [...billable, 'vm:IMVU-042/web-9'] } }));
  failsWith(t, r, 'METER_MISSING');
  t.equal(r.evidence['resource'], 'vm:IMVU-042/web-9');
  failsWith(t, judge(gate, request('imvu.import', { resource: 'imvu:IMVU-042' })), 'METER_MISSING', 'no list given');
});
