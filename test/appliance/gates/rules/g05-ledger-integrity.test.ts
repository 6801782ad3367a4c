import t from 'tap';
import { ledgerIntegrity as gate } from '../../../../appliance/src/domain/gates/rules/g05-ledger-integrity.js';
import { facts, failsWith, judge, passes, request } from '../fixture.js';

t.test('a verified ledger passes; an unhealthy one fails closed', async (t) => {
  passes(t, judge(gate, request('vm.stop')));
  failsWith(t, judge(gate, request('vm.stop'), facts({ ledgerHealthy: false })), 'LEDGER_UNHEALTHY');
});
