import { fail } from '../errors/index.js';
import { CONSTITUTIONAL_SPLIT } from '../schemas/revenue.js';

/** The creator's share in basis points (gate 3); derived from the one schema constant. */
export const CREATOR_BPS = BigInt(CONSTITUTIONAL_SPLIT.creatorBps);
/** The platform's share in basis points (gate 3). */
export const PLATFORM_BPS = BigInt(CONSTITUTIONAL_SPLIT.platformBps);
/** Basis points in a whole; CREATOR_BPS + PLATFORM_BPS equals it. */
export const BPS_WHOLE = 10_000n;

/** Both shares of a gross amount, in minor units. */
export interface RevenueShares {
  readonly creator: bigint;
  readonly platform: bigint;
}

/**
 * Splits `gross` minor units 5500/4500 by largest remainder (Hamilton), ties to the
 * creator. Each exact share is floored; the two remainders sum to 0 or one whole unit,
 * so the leftover is 0 or 1 and goes to the larger remainder. Hence creator + platform
 * == gross always, and each share is within one unit of its exact value.
 */
export function splitRevenue(gross: bigint): RevenueShares {
  if (typeof gross !== 'bigint' || gross < 0n) throw fail('INPUT_INVALID', 'gross is a non-negative bigint', '/gross');
  const c = gross * CREATOR_BPS;
  const p = gross * PLATFORM_BPS;
  let creator = c / BPS_WHOLE;
  let platform = p / BPS_WHOLE;
  const leftover = gross - creator - platform;
  if (leftover === 1n) {
    if (c % BPS_WHOLE >= p % BPS_WHOLE) creator += 1n;
    else platform += 1n;
  }
  return { creator, platform };
}

/**
 * Refuses (REVENUE_SPLIT_VIOLATION) an object whose `split` member is anything but the
 * constitutional 5500/4500. Run before the schema check so that gate 3 is reported as
 * itself, not as a generic schema failure; a missing `split` is left to the schema.
 */
export function assertConstitutionalSplit(x: unknown, field = '/split'): void {
  if (x === null || typeof x !== 'object' || !('split' in x)) return;
  const s = (x as { split: unknown }).split;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    Object.keys(s).length === 2 &&
    (s as Record<string, unknown>).creatorBps === CONSTITUTIONAL_SPLIT.creatorBps &&
    (s as Record<string, unknown>).platformBps === CONSTITUTIONAL_SPLIT.platformBps;
  if (!ok) throw fail('REVENUE_SPLIT_VIOLATION', 'the split is 5500/4500 basis points and nothing else', field);
}

/** Refuses creator/platform amounts that are not splitRevenue(gross) exactly (gate 3). */
export function assertSharesOf(gross: bigint, creator: bigint, platform: bigint): void {
  const want = splitRevenue(gross);
  if (creator !== want.creator) throw fail('REVENUE_SPLIT_VIOLATION', 'creator share is not the published rounding of gross', '/creator');
  if (platform !== want.platform) throw fail('REVENUE_SPLIT_VIOLATION', 'platform share is not the published rounding of gross', '/platform');
}
