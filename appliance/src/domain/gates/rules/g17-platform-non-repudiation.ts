import type { Gate } from '../types.js';
import { verdicts } from './verdict.js';

const v = verdicts(17);

/**
 * Gate 17: platform actions are signed by the platform key. A statement is issued under
 * the platform key itself; for operator actions the gatekeeper countersigns the decision
 * with it, so the platform key must be active to answer for them.
 */
export const platformNonRepudiation: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts, role) {
    const evidence = { platformKey: facts.platform, role };
    if (role === 'platform' && req.actor !== facts.platform) return v.fail('NOT_PLATFORM_KEY', evidence);
    if (req.action === 'statement.issue' && req.actor !== facts.platform) return v.fail('NOT_PLATFORM_KEY', evidence);
    const status = facts.keyStatus(facts.platform);
    if (status !== 'active') return v.fail('PLATFORM_KEY_INACTIVE', { ...evidence, platformKeyStatus: status });
    return v.pass({ ...evidence, signedBy: req.actor === facts.platform ? 'platform key' : 'actor; decision countersigned by platform key' });
  },
};
