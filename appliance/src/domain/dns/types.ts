/** The record types an owner may change; SOA and the DNSSEC records belong to Knot. */
export const RR_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS', 'TLSA'] as const;

/** One of the supported record types. */
export type RRType = (typeof RR_TYPES)[number];

/** An RRset: every record of one type at one name, with one TTL. Records are canonical rdata. */
export interface RRset {
  readonly name: string;
  readonly type: RRType;
  readonly ttl: number;
  readonly records: readonly string[];
}

/** Removes the RRset of `type` at `name`, whatever it holds (a no-op when it is absent). */
export interface RRsetDelete {
  readonly name: string;
  readonly type: RRType;
  readonly delete: true;
}

/** One member of a change: replace an RRset (like PowerDNS's REPLACE) or delete it. */
export type RRsetChange = RRset | RRsetDelete;

/** True for a deletion. */
export const isDelete = (c: RRsetChange): c is RRsetDelete => 'delete' in c;

/** The TTL range we accept, in seconds: short enough for a challenge, at most one week. */
export const MIN_TTL = 30;
export const MAX_TTL = 604_800;
