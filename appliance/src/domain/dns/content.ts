import { canonicalBytes, sha256, toHex } from '@nexus-cos/sdk';
import { isDelete, type RRset, type RRsetChange } from './types.js';

/**
 * A zone's owner-managed content: every RRset the owner controls, SOA and DNSSEC records
 * left out (Knot owns those). It is what the ledger's `dns_change` digests name and what
 * start-up compares with what Knot serves.
 */
export interface ZoneState {
  readonly zone: string;
  readonly rrsets: readonly RRset[];
}

/** Media type of a zone state document kept beside its `dns_change` entry. */
export const ZONE_STATE_MEDIA_TYPE = 'application/vnd.nexus-cos.zone-state.v1+json';

const key = (r: { name: string; type: string }) => `${r.name} ${r.type}`;
const order = (a: RRset, b: RRset) => (a.name === b.name ? (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) : a.name < b.name ? -1 : 1);

/** The canonical form: RRsets sorted by (name, type), records sorted. */
export function normalizeState(zone: string, rrsets: readonly RRset[]): ZoneState {
  return { zone, rrsets: rrsets.map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, records: [...r.records].sort() })).sort(order) };
}

/** The state's canonical JSON bytes, which its digest covers. */
export const stateBytes = (s: ZoneState): Uint8Array => canonicalBytes(normalizeState(s.zone, s.rrsets));

/** SHA-256 hex of the canonical state: equal digests, equal served content. */
export const stateDigest = (s: ZoneState): string => toHex(sha256(stateBytes(s)));

/** The digest of a zone that holds nothing (before it is bound, after it is unbound). */
export const emptyDigest = (zone: string): string => stateDigest({ zone, rrsets: [] });

/** The state after a validated change: each member replaces or deletes its RRset. */
export function applyToState(s: ZoneState, change: readonly RRsetChange[]): ZoneState {
  const sets = new Map(s.rrsets.map((r) => [key(r), r]));
  for (const c of change) {
    if (isDelete(c)) sets.delete(key(c));
    else sets.set(key(c), c);
  }
  return normalizeState(s.zone, [...sets.values()]);
}

/** How served content differs from the expected: RRsets missing, unexpected or different. */
export interface StateDiff {
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly changed: readonly string[];
}

/** Compares by (name, type); `changed` when the TTL or any record differs. */
export function diffStates(expected: ZoneState, served: ZoneState): StateDiff {
  const want = new Map(normalizeState(expected.zone, expected.rrsets).rrsets.map((r) => [key(r), r]));
  const have = new Map(normalizeState(served.zone, served.rrsets).rrsets.map((r) => [key(r), r]));
  const same = (a: RRset, b: RRset) => a.ttl === b.ttl && a.records.length === b.records.length && a.records.every((x, i) => x === b.records[i]);
  return {
    missing: [...want.keys()].filter((k) => !have.has(k)),
    unexpected: [...have.keys()].filter((k) => !want.has(k)),
    changed: [...want].filter(([k, r]) => have.has(k) && !same(r, have.get(k) as RRset)).map(([k]) => k),
  };
}
