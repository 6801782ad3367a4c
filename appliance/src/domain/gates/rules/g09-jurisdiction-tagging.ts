import { createsImvu } from '../creating.js';
import type { Gate } from '../types.js';
import { isJurisdiction } from './jurisdiction.js';
import { clip, verdicts } from './verdict.js';

const v = verdicts(9);

/**
 * Gate 9: the IMVU or resource carries a jurisdiction: the request's own tag when it
 * creates something with one, otherwise the existing IMVU's. A malformed tag is refused,
 * never repaired.
 */
export const jurisdictionTagging: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    const imvu = createsImvu(req.action) || req.imvu === undefined ? undefined : facts.imvu(req.imvu);
    const tag = req.jurisdiction ?? imvu?.jurisdiction;
    const source = req.jurisdiction !== undefined ? 'request' : imvu !== undefined ? 'imvu' : 'none';
    if (tag === undefined || tag === '') return v.fail('JURISDICTION_MISSING', { source });
    if (!isJurisdiction(tag)) return v.fail('JURISDICTION_INVALID', { source, jurisdiction: clip(tag) });
    return v.pass({ source, jurisdiction: tag, ...(imvu === undefined ? {} : { imvuJurisdiction: imvu.jurisdiction }) });
  },
};
