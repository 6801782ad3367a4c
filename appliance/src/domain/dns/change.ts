import { invalid } from './errors.js';
import { inZone, parseName } from './name.js';
import { canonicalRdata } from './rdata.js';
import { MAX_TTL, MIN_TTL, RR_TYPES, type RRType, type RRsetChange } from './types.js';

/** Bounds on one change, so a request cannot hold knotc's single zone transaction for ever. */
export const MAX_RRSETS_PER_CHANGE = 5_000;
export const MAX_RECORDS_PER_RRSET = 1_000;

const TYPES: ReadonlySet<string> = new Set(RR_TYPES);
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks one RRset change against `zone` (already normalised); returns it canonical. */
export function validateRRset(zone: string, input: unknown, field: string): RRsetChange {
  const bad = (why: string, at = field) => invalid(why, at);
  if (!isRecord(input)) throw bad('an RRset is an object');
  const allowed = 'delete' in input ? ['name', 'type', 'delete'] : ['name', 'type', 'ttl', 'records'];
  const extra = Object.keys(input).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw bad(`unexpected member ${JSON.stringify(extra)}`, `${field}/${extra}`);
  const name = parseName(input.name, `${field}/name`, 'owner');
  if (!inZone(name, zone)) throw bad(`${name} is outside the zone ${zone}`, `${field}/name`);
  if (typeof input.type !== 'string' || !TYPES.has(input.type)) throw bad(`type is one of ${RR_TYPES.join(', ')}`, `${field}/type`);
  const type = input.type as RRType;
  if ('delete' in input) {
    if (input.delete !== true) throw bad('delete is true when present', `${field}/delete`);
    return { name, type, delete: true };
  }
  const ttl = input.ttl;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < MIN_TTL || ttl > MAX_TTL) throw bad(`ttl is an integer from ${MIN_TTL} to ${MAX_TTL}`, `${field}/ttl`);
  const raw = input.records;
  if (!Array.isArray(raw) || raw.length === 0) throw bad('records is a non-empty array (delete the RRset instead)', `${field}/records`);
  if (raw.length > MAX_RECORDS_PER_RRSET) throw bad(`at most ${MAX_RECORDS_PER_RRSET} records per RRset`, `${field}/records`);
  const records = raw.map((r, i) => canonicalRdata(type, r, `${field}/records/${i}`));
  if (new Set(records).size !== records.length) throw bad('a record is repeated', `${field}/records`);
  if (type === 'CNAME' && records.length !== 1) throw bad('a CNAME RRset holds exactly one record', `${field}/records`);
  if (type === 'CNAME' && name === zone) throw bad('no CNAME at the zone apex (it holds the SOA and NS)', `${field}/name`);
  return { name, type, ttl, records: [...records].sort() };
}

/** Checks a whole change: each RRset, and no (name, type) twice. */
export function validateChange(zone: string, input: unknown): RRsetChange[] {
  if (!Array.isArray(input) || input.length === 0) throw invalid('a change is a non-empty array of RRsets', '/rrsets');
  if (input.length > MAX_RRSETS_PER_CHANGE) throw invalid(`at most ${MAX_RRSETS_PER_CHANGE} RRsets per change`, '/rrsets');
  const seen = new Set<string>();
  return input.map((x, i) => {
    const c = validateRRset(zone, x, `/rrsets/${i}`);
    const key = `${c.name} ${c.type}`;
    if (seen.has(key)) throw invalid(`${key} appears twice in one change`, `/rrsets/${i}`);
    seen.add(key);
    if (c.type === 'NS' && c.name === zone && 'delete' in c) throw invalid('the apex NS RRset cannot be deleted', `/rrsets/${i}`);
    return c;
  });
}
