import type { Gate } from '../types.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(4);

/**
 * Gate 4: a billable resource is created or started only with a signing meter attached to it.
 * An import creates many at once (its zones, mailboxes and VMs, `params.billable`): each needs
 * its meter, and the first without one is named.
 */
export const meteringCoverage: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    if (req.action === 'imvu.import') {
      const billable = param(req.params, 'billable');
      if (!Array.isArray(billable) || !billable.every((r) => typeof r === 'string')) return v.fail('METER_MISSING', { billable: clip(billable) });
      const missing = (billable as string[]).find((r) => !facts.meterAttached(r));
      if (missing !== undefined) return v.fail('METER_MISSING', { resource: clip(missing), meter: 'missing' });
      return v.pass({ resources: String(billable.length), meter: 'attached' });
    }
    const evidence = { resource: clip(req.resource) };
    return facts.meterAttached(req.resource)
      ? v.pass({ ...evidence, meter: 'attached' })
      : v.fail('METER_MISSING', { ...evidence, meter: 'missing' });
  },
};
