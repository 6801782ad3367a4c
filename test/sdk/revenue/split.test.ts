import t from 'tap';
import fc from 'fast-check';
import { BPS_WHOLE, CREATOR_BPS, PLATFORM_BPS, assertConstitutionalSplit, assertSharesOf, splitRevenue } from '../../../sdk/src/revenue/split.js';
import { CONSTITUTIONAL_SPLIT } from '../../../sdk/src/schemas/revenue.js';
import { throwsCode } from '../../helpers/codes.js';

const BIG = 10n ** 30n;

t.test('constants: 5500 + 4500 = one whole, from the schema constant', async (t) => {
  t.equal(CREATOR_BPS, 5500n);
  t.equal(PLATFORM_BPS, 4500n);
  t.equal(CREATOR_BPS + PLATFORM_BPS, BPS_WHOLE);
  t.same(CONSTITUTIONAL_SPLIT, { creatorBps: 5500, platformBps: 4500 });
});

t.test('worked examples of spec/revenue.md', async (t) => {
  const cases: [bigint, bigint, bigint][] = [
    [0n, 0n, 0n],
    [1n, 1n, 0n], // 0.55 vs 0.45: the unit goes to the larger remainder
    [2n, 1n, 1n], // 1.10 / 0.90: remainders .10 vs .90, platform gets it
    [3n, 2n, 1n], // 1.65 / 1.35: .65 vs .35
    [7n, 4n, 3n], // 3.85 / 3.15: .85 vs .15
    [10n, 6n, 4n], // 5.50 / 4.50: a tie, creator first
    [100n, 55n, 45n],
    [101n, 56n, 45n], // 55.55 / 45.45: .55 vs .45
    [10n ** 20n + 1n, 55n * 10n ** 18n + 1n, 45n * 10n ** 18n], // .55 vs .45
  ];
  for (const [gross, creator, platform] of cases) t.same(splitRevenue(gross), { creator, platform }, `gross ${gross}`);
});

t.test('property: never loses or invents a unit, and stays within one unit of 55%', async (t) => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: BIG }), (gross) => {
      const { creator, platform } = splitRevenue(gross);
      const err = creator * BPS_WHOLE - gross * CREATOR_BPS; // 10000 × (creator − 0.55·gross)
      return creator + platform === gross && creator >= 0n && platform >= 0n && err > -BPS_WHOLE && err < BPS_WHOLE;
    }),
    { numRuns: 5000 },
  );
  t.pass('5000 runs up to 10^30');
});

t.test('property: it is the largest-remainder (Hamilton) apportionment, creator on a tie', async (t) => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: BIG }), (gross) => {
      const { creator } = splitRevenue(gross);
      const rc = (gross * CREATOR_BPS) % BPS_WHOLE;
      const rp = (gross * PLATFORM_BPS) % BPS_WHOLE;
      const floor = (gross * CREATOR_BPS) / BPS_WHOLE;
      const gets = rc + rp === 0n ? false : rc >= rp;
      return creator === floor + (gets ? 1n : 0n);
    }),
  );
  t.pass();
});

t.test('negative or non-bigint gross is refused', async (t) => {
  throwsCode(t, () => splitRevenue(-1n), 'INPUT_INVALID');
  throwsCode(t, () => splitRevenue(1 as unknown as bigint), 'INPUT_INVALID');
});

t.test('gate 3: any other split is REVENUE_SPLIT_VIOLATION', async (t) => {
  t.doesNotThrow(() => assertConstitutionalSplit({ split: { creatorBps: 5500, platformBps: 4500 } }));
  t.doesNotThrow(() => assertConstitutionalSplit({}), 'a missing split is left to the schema');
  const bad = [
    { creatorBps: 5000, platformBps: 5000 },
    { creatorBps: 4500, platformBps: 5500 },
    { creatorBps: '5500', platformBps: '4500' },
    { creatorBps: 5500, platformBps: 4500, bonusBps: 1 },
    { creatorBps: 5500 },
    null,
  ];
  for (const split of bad) throwsCode(t, () => assertConstitutionalSplit({ split }), 'REVENUE_SPLIT_VIOLATION', JSON.stringify(split));
  t.doesNotThrow(() => assertSharesOf(101n, 56n, 45n));
  throwsCode(t, () => assertSharesOf(101n, 55n, 46n), 'REVENUE_SPLIT_VIOLATION', 'unit given to the wrong side');
  throwsCode(t, () => assertSharesOf(100n, 50n, 50n), 'REVENUE_SPLIT_VIOLATION', '50/50 shares');
});
