import { invalid } from './errors.js';
import { isDelete, type RRsetChange } from './types.js';

/** One RRset present in a zone, as read back from Knot (records canonical where we can parse them). */
export interface PresentRRset {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly records: readonly string[];
}

/** The steps of a validated change against the zone's current content. */
export interface ChangePlan {
  /** RRsets to remove first (each exists now), with the records they hold now when known. */
  readonly unset: readonly { name: string; type: string; records?: readonly string[] }[];
  /** Records to add after that, canonical. */
  readonly set: readonly { name: string; type: string; ttl: number; rdata: string }[];
}

// Records that Knot's signer keeps beside any data, including a CNAME (RFC 4035 §2).
const DNSSEC_TYPES: ReadonlySet<string> = new Set(['RRSIG', 'NSEC', 'NSEC3']);

/**
 * Plans `change` against `current` and checks the result: a CNAME shares its name with no
 * other data (RFC 1034 §3.6.2, RFC 2181 §10.1). Deleting an absent RRset is a no-op, and
 * replacing an RRset with what it already holds is skipped.
 */
export function planChange(current: readonly PresentRRset[], change: readonly RRsetChange[]): ChangePlan {
  const key = (name: string, type: string) => `${name} ${type}`;
  const now = new Map(current.map((r) => [key(r.name, r.type), r]));
  const after = new Map<string, Set<string>>();
  for (const r of current) if (!DNSSEC_TYPES.has(r.type)) (after.get(r.name) ?? after.set(r.name, new Set()).get(r.name))?.add(r.type);
  const unset: { name: string; type: string; records: readonly string[] }[] = [];
  const set: { name: string; type: string; ttl: number; rdata: string }[] = [];
  for (const c of change) {
    const existing = now.get(key(c.name, c.type));
    const types = after.get(c.name) ?? after.set(c.name, new Set()).get(c.name) ?? new Set<string>();
    if (isDelete(c)) {
      if (existing !== undefined) unset.push({ name: c.name, type: c.type, records: existing.records });
      types.delete(c.type);
      continue;
    }
    types.add(c.type);
    const same = existing !== undefined && existing.records.length === c.records.length && [...existing.records].sort().every((r, i) => r === c.records[i]);
    if (same && existing.ttl === c.ttl) continue;
    if (existing !== undefined) unset.push({ name: c.name, type: c.type, records: existing.records });
    for (const rdata of c.records) set.push({ name: c.name, type: c.type, ttl: c.ttl, rdata });
  }
  for (const [name, types] of after) {
    if (types.has('CNAME') && types.size > 1) throw invalid(`${name} would hold a CNAME beside other data`, '/rrsets');
  }
  return { unset, set };
}
