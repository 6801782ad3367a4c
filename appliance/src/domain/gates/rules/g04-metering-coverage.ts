import type { Gate } from '../types.js';
import { clip, verdicts } from './verdict.js';

const v = verdicts(4);

/** Gate 4: a billable resource is created or started only with a signing meter attached to it. */
export const meteringCoverage: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    const evidence = { resource: clip(req.resource) };
    return facts.meterAttached(req.resource)
      ? v.pass({ ...evidence, meter: 'attached' })
      : v.fail('METER_MISSING', { ...evidence, meter: 'missing' });
  },
};
