import { fail } from '../errors/index.js';

/** A trusted key's validity period in ms since the epoch: `from` inclusive, `until` exclusive; absent ends are open. */
export interface KeyPeriod {
  readonly from?: number;
  readonly until?: number;
}

const ms = (ts: string): number => Date.parse(ts);

/** The period a trusted-root key declares (schema-checked timestamps); an empty or inverted one is TRUST_ROOT_INVALID. */
export function keyPeriod(k: { readonly validFrom?: string; readonly validUntil?: string }, field: string): KeyPeriod {
  const at = (ts: string | undefined, name: string): number | undefined => {
    if (ts === undefined) return undefined;
    if (Number.isNaN(ms(ts))) throw fail('TRUST_ROOT_INVALID', 'not a valid RFC 3339 time', `${field}/${name}`);
    return ms(ts);
  };
  const from = at(k.validFrom, 'validFrom');
  const until = at(k.validUntil, 'validUntil');
  if (from !== undefined && until !== undefined && !(from < until)) throw fail('TRUST_ROOT_INVALID', 'validUntil must be after validFrom', `${field}/validUntil`);
  return { ...(from === undefined ? {} : { from }), ...(until === undefined ? {} : { until }) };
}

/**
 * Asserts that each key in `keyIds` was valid at some instant of [earliest, latest], the
 * interval the signing is known to lie in (equal ends when the signed object states its own
 * signing time). Keys without a period in `periods` are unrestricted. `field` names what was signed.
 */
export function assertSignedWithin(
  periods: ReadonlyMap<string, KeyPeriod>,
  keyIds: readonly string[],
  earliest: string,
  latest: string,
  field: string,
): void {
  const lo = ms(earliest);
  const hi = ms(latest);
  for (const id of keyIds) {
    const p = periods.get(id);
    if (p === undefined) continue;
    if ((p.from !== undefined && hi < p.from) || (p.until !== undefined && lo >= p.until)) {
      const when = earliest === latest ? `at ${earliest}` : `between ${earliest} and ${latest}`;
      throw fail('KEY_OUTSIDE_VALIDITY', `signed by ${id} ${when}, outside its validity period`, field);
    }
  }
}

/**
 * Kinds whose `time` is when the reported event happened, not when the platform signed it:
 * the signing lies somewhere between that time and the export.
 */
const EVENT_KINDS: ReadonlySet<string> = new Set(['usage', 'revenue']);

/** True for the kinds whose signing lies between their `time` and the export (see EVENT_KINDS). */
export const isEventKind = (kind: string): boolean => EVENT_KINDS.has(kind);

/**
 * A ledger entry's signatures lie inside their keys' periods: at its `time`, or for an event
 * entry between its `time` and `exported` (when the slice was exported).
 */
export function assertEntrySignedWithin(
  periods: ReadonlyMap<string, KeyPeriod>,
  signedBy: readonly string[],
  entry: { readonly kind: string; readonly time: string },
  exported: string,
  field: string,
): void {
  assertSignedWithin(periods, signedBy, entry.time, EVENT_KINDS.has(entry.kind) ? exported : entry.time, field);
}

/**
 * The part of assertEntrySignedWithin that does not depend on the export time, for a verifier
 * that meets the entries before the manifest that states it: true when the entry fails its
 * periods whatever that time is (an event entry: a key's period ended at or before its `time`).
 * What remains is keyed by signer alone: an event entry also fails when a key that signed it
 * became valid only after the export (exportBoundKeys).
 */
export function failsBeforeExport(periods: ReadonlyMap<string, KeyPeriod>, signedBy: readonly string[], entry: { readonly kind: string; readonly time: string }): boolean {
  const t = ms(entry.time);
  const event = EVENT_KINDS.has(entry.kind);
  for (const id of signedBy) {
    const p = periods.get(id);
    if (p === undefined) continue;
    if ((p.until !== undefined && t >= p.until) || (!event && p.from !== undefined && t < p.from)) return true;
  }
  return false;
}

/** The keys whose period starts after `exported`: an event entry any of them signed fails assertEntrySignedWithin. */
export function exportBoundKeys(periods: ReadonlyMap<string, KeyPeriod>, exported: string): string[] {
  const at = ms(exported);
  return [...periods].filter(([, p]) => p.from !== undefined && at < p.from).map(([id]) => id);
}
