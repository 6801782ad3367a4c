import { createsImvu } from '../creating.js';
import type { Gate } from '../types.js';
import { isJurisdiction, storageCompatible } from './jurisdiction.js';
import { clip, verdicts } from './verdict.js';

const v = verdicts(14);

/**
 * Gate 14: data is written only to a storage pool whose jurisdiction tag is compatible
 * with the IMVU's (for `imvu.create`, and for `imvu.update` that changes it, the
 * jurisdiction the request gives).
 * See storageCompatible for the rule: country ⊇ its subdivisions, `EU` ⊇ member states.
 */
export const dataResidency: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    let subject: string | undefined;
    if (createsImvu(req.action) || (req.action === 'imvu.update' && req.jurisdiction !== undefined)) subject = req.jurisdiction;
    else {
      const imvu = req.imvu === undefined ? undefined : facts.imvu(req.imvu);
      if (imvu === undefined) return v.fail('IMVU_UNKNOWN', { imvu: req.imvu ?? '' });
      subject = imvu.jurisdiction;
    }
    if (!isJurisdiction(subject)) return v.fail('JURISDICTION_MISSING', { jurisdiction: clip(subject) });
    const pool = req.storagePool;
    if (pool === undefined || pool === '') return v.fail('STORAGE_MISSING', { jurisdiction: subject });
    const tag = facts.storageJurisdiction(pool);
    const evidence = { jurisdiction: subject, pool: clip(pool) };
    if (tag === undefined || tag === '') return v.fail('STORAGE_UNTAGGED', evidence);
    return storageCompatible(tag, subject)
      ? v.pass({ ...evidence, poolJurisdiction: tag })
      : v.fail('STORAGE_JURISDICTION_MISMATCH', { ...evidence, poolJurisdiction: clip(tag) });
  },
};
