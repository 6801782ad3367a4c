import type { Gate } from '../types.js';
import { verdicts } from './verdict.js';

const v = verdicts(11);

/**
 * Gate 11: the audit record can be written, because the audit trail is the ledger. That
 * the record is durable *before* the effect is acknowledged is enforced by the gatekeeper's
 * write ordering, not here; this gate refuses up front when no record could be written.
 */
export const auditLogging: Gate = {
  id: v.id,
  name: v.name,
  evaluate(_req, facts) {
    return facts.ledgerHealthy
      ? v.pass({ audit: 'ledger', durability: 'written before effect' })
      : v.fail('AUDIT_UNAVAILABLE', { audit: 'ledger', ledger: 'unhealthy' });
  },
};
