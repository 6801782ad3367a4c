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
