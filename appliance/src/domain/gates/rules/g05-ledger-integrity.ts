import type { Gate } from '../types.js';
import { verdicts } from './verdict.js';

const v = verdicts(5);

/** Gate 5: the ledger head verified and the ledger is writable; otherwise every action fails closed. */
export const ledgerIntegrity: Gate = {
  id: v.id,
  name: v.name,
  evaluate(_req, facts) {
    return facts.ledgerHealthy ? v.pass({ ledger: 'verified' }) : v.fail('LEDGER_UNHEALTHY', { ledger: 'unverified' });
  },
};
