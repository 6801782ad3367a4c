import type { Gate } from '../types.js';
import { hasDomain, normalizeName, withinZone } from './names.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(7);

/** Record types the appliance serves and validates (Knot zone schema). */
export const SUPPORTED_RR_TYPES: ReadonlySet<string> = new Set(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS', 'TLSA']);
/** Records one change may touch, so one request cannot rewrite a zone wholesale unnoticed. */
export const MAX_RECORDS = 1000;

/**
 * Gate 7: a zone changes only when it is bound to the requesting IMVU (the actor's binding
 * itself is gate 2), and every record is schema-valid, of a supported type and inside the
 * zone: the zone apex (`@` or its name) or a name under it, compared as DNS names.
 */
export const dnsMutation: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    const rawZone = param(req.params, 'zone');
    const zone = normalizeName(rawZone);
    if (zone === undefined || zone.includes('*')) return v.fail('ZONE_INVALID', { zone: clip(rawZone) });
    const imvu = req.imvu === undefined ? undefined : facts.imvu(req.imvu);
    if (imvu === undefined) return v.fail('IMVU_UNKNOWN', { zone, imvu: req.imvu ?? '' });
    if (!hasDomain(imvu.verifiedDomains, zone)) return v.fail('ZONE_NOT_BOUND', { zone, imvu: imvu.id });
    const records = param(req.params, 'records');
    if (!Array.isArray(records) || records.length === 0) return v.fail('RECORDS_MISSING', { zone, imvu: imvu.id });
    if (records.length > MAX_RECORDS) return v.fail('TOO_MANY_RECORDS', { zone, records: String(records.length) });
    for (const [i, r] of records.entries()) {
      const at = { zone, imvu: imvu.id, index: String(i) };
      if (r === null || typeof r !== 'object') return v.fail('RECORD_INVALID', at);
      const { name: rawName, type } = r as { name?: unknown; type?: unknown };
      const name = rawName === '@' ? zone : normalizeName(rawName);
      if (name === undefined) return v.fail('RECORD_INVALID', { ...at, name: clip(rawName) });
      if (!withinZone(name, zone)) return v.fail('RECORD_OUTSIDE_ZONE', { ...at, name });
      if (typeof type !== 'string' || !SUPPORTED_RR_TYPES.has(type)) {
        return v.fail('RECORD_TYPE_UNSUPPORTED', { ...at, name, type: clip(type) });
      }
    }
    return v.pass({ zone, imvu: imvu.id, records: String(records.length), binding: 'zone bound to IMVU' });
  },
};
