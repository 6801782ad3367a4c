import { CREATOR_BPS, PLATFORM_BPS, assertConstitutionalSplit, isNexusError, splitRevenue } from '@nexus-cos/sdk';
import type { Gate } from '../types.js';
import { clip, param, verdicts, type Evidence } from './verdict.js';

const v = verdicts(3);

/** A wire amount: a decimal string of minor units, no sign, no leading zeros (spec/revenue.md §1). */
const UINT = /^(?:0|[1-9][0-9]{0,77})$/;

function isUint(x: unknown): x is string {
  return typeof x === 'string' && UINT.test(x);
}

/**
 * Gate 3: no request changes the 5500/4500 split, and amounts reconcile to the unit. A
 * `split` member, if sent, must be the constitutional one; a statement must carry gross,
 * creator and platform, and any action that sends them must match splitRevenue(gross).
 */
export const revenueLaw: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req) {
    const split = param(req.params, 'split');
    const evidence: Evidence = { split: `${CREATOR_BPS}/${PLATFORM_BPS}` };
    if (split !== undefined) {
      try {
        assertConstitutionalSplit({ split });
      } catch (e) {
        if (!isNexusError(e)) throw e;
        return v.fail('SPLIT_CHANGED', { ...evidence, requested: clip(split) });
      }
    }
    const [gross, creator, platform] = ['gross', 'creator', 'platform'].map((k) => param(req.params, k));
    if (gross === undefined && creator === undefined && platform === undefined) {
      return req.action === 'statement.issue' ? v.fail('AMOUNTS_MISSING', evidence) : v.pass(evidence);
    }
    const amounts = { gross: clip(gross), creator: clip(creator), platform: clip(platform) };
    if (!isUint(gross) || !isUint(creator) || !isUint(platform)) return v.fail('AMOUNT_INVALID', { ...evidence, ...amounts });
    const want = splitRevenue(BigInt(gross));
    const expected = { expectedCreator: want.creator.toString(), expectedPlatform: want.platform.toString() };
    if (want.creator.toString() !== creator || want.platform.toString() !== platform) {
      return v.fail('SHARES_MISMATCH', { ...evidence, ...amounts, ...expected });
    }
    return v.pass({ ...evidence, ...amounts, rounding: 'largest-remainder-creator-first-v1' });
  },
};
