import t from 'tap';
import { meteringCoverage as gate } from '../../../../appliance/src/domain/gates/rules/g04-metering-coverage.js';
import { failsWith, judge, passes, request } from '../fixture.js';

t.test('a resource with an attached meter passes; one without fails', async (t) => {
  passes(t, judge(gate, request('vm.start', { resource: 'vm:IMVU-042/web-1' })));
  const r = judge(gate, request('vm.start', { resource: 'vm:IMVU-042/web-2' }));
  failsWith(t, r, 'METER_MISSING');
  t.equal(r.evidence['resource'], 'vm:IMVU-042/web-2');
});
