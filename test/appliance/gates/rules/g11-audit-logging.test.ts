import t from 'tap';
import { auditLogging as gate } from '../../../../appliance/src/domain/gates/rules/g11-audit-logging.js';
import { facts, failsWith, judge, passes, request } from '../fixture.js';

t.test('the audit trail is writable: pass; otherwise the action fails', async (t) => {
  const r = judge(gate, request('dns.change'));
  passes(t, r);
  t.equal(r.evidence['audit'], 'ledger');
  failsWith(t, judge(gate, request('dns.change'), facts({ ledgerHealthy: false })), 'AUDIT_UNAVAILABLE');
});
