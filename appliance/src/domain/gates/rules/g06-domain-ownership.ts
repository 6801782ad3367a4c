import type { Gate } from '../types.js';
import { hasDomain, normalizeName } from './names.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(6);

/**
 * Gate 6: a domain is bound only once its TXT challenge verified for this IMVU, which the
 * registry records in the IMVU's verifiedDomains. Names compare case-insensitively.
 */
export const domainOwnership: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    const raw = param(req.params, 'domain');
    const domain = normalizeName(raw);
    if (domain === undefined || domain.includes('*')) return v.fail('DOMAIN_INVALID', { domain: clip(raw) });
    const imvu = req.imvu === undefined ? undefined : facts.imvu(req.imvu);
    if (imvu === undefined) return v.fail('IMVU_UNKNOWN', { domain, imvu: req.imvu ?? '' });
    const evidence = { domain, imvu: imvu.id };
    return hasDomain(imvu.verifiedDomains, domain)
      ? v.pass({ ...evidence, challenge: 'verified' })
      : v.fail('DOMAIN_UNVERIFIED', { ...evidence, challenge: 'not verified' });
  },
};
