// Random event streams over several statements and rate card changes: what must hold per
// statement, and what does (and does not) add up across consecutive statements.
import t from 'tap';
import fc from 'fast-check';
import { BPS_WHOLE, CREATOR_BPS } from '../../../sdk/src/revenue/split.js';
import { computeStatement } from '../../../sdk/src/revenue/statement.js';
import { verifyStatement } from '../../../sdk/src/revenue/verify-statement.js';
import { signJsonSync } from '../../../sdk/src/sign/envelope.js';
import { STATEMENT_MEDIA_TYPE, type Statement } from '../../../sdk/src/schemas/revenue.js';
import { TrustedKeys } from '../../../sdk/src/verify/trust.js';
import { Chain, IMVU, owner, platform, price, reporterA, reporterB } from './fixture.js';

const METERS = [
  ['compute.vcpu', 'vcpu-second'],
  ['net.bytes', 'byte'],
  ['mail.messages', 'message'],
] as const;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const priceArb = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 1n, max: 10n ** 9n }));
const eventArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('usage' as const), m: fc.nat(2), q: fc.bigInt({ min: 0n, max: 10n ** 15n }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('revenue' as const), a: fc.bigInt({ min: 0n, max: 10n ** 24n }), b: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('card' as const), p: fc.array(priceArb, { minLength: 3, maxLength: 3 }), off: fc.integer({ min: -7200, max: 7200 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('audit' as const) }) },
);
const streamArb = fc.record({
  events: fc.array(fc.tuple(eventArb, fc.nat(3600)), { minLength: 1, maxLength: 40 }),
  first: fc.array(priceArb, { minLength: 3, maxLength: 3 }),
  cuts: fc.array(fc.nat(), { maxLength: 4 }),
});

type Stream = typeof streamArb extends fc.Arbitrary<infer S> ? S : never;

function replay(s: Stream): Chain {
  const c = new Chain();
  let now = T0;
  let version = 1;
  const prices = (p: readonly (readonly [bigint, bigint])[]) => METERS.map(([m, u], i) => price(m, u, p[i]![0], p[i]![1]));
  c.rateCard(iso(now), version, iso(now), prices(s.first));
  for (const [e, dt] of s.events) {
    now += dt * 1000;
    if (e.k === 'usage') c.usage(iso(now), METERS[e.m]![0], METERS[e.m]![1], e.q);
    else if (e.k === 'revenue') c.revenue(iso(now), e.a, e.b ? reporterA : reporterB);
    else if (e.k === 'card') c.rateCard(iso(now), ++version, iso(now + e.off * 1000), prices(e.p));
    else c.audit(iso(now));
  }
  return c;
}

// Consecutive statements over the chain: [0, c1), [c1, c2), ..., each non-empty.
function statements(c: Chain, cuts: number[]): { s: Statement; from: number; to: number }[] {
  const n = c.entries.length;
  const bounds = [...new Set([0, ...cuts.map((x) => x % n), n])].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i]!, bounds[i + 1]!];
    const s = computeStatement({ imvu: IMVU, currency: 'EUR', entries: c.entries.slice(from, to), rateCards: c.cards, priorRateCards: c.priorCards(from) });
    out.push({ s, from, to });
  }
  return out;
}

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
// Per line key, the summed [quantity, amount] of usage lines or [events, amount] of revenue lines.
function totals(ss: Statement[], kind: 'usage' | 'revenue'): Map<string, [bigint, bigint]> {
  const m = new Map<string, [bigint, bigint]>();
  for (const l of ss.flatMap((s) => s.lines)) {
    if (l.kind !== kind) continue;
    const [key, n] = l.kind === 'usage' ? [`${l.rateCard}/${l.meter}/${l.unit}`, l.quantity] : [l.reporter, l.events];
    const acc = m.get(key) ?? [0n, 0n];
    m.set(key, [acc[0] + BigInt(n), acc[1] + BigInt(l.amount)]);
  }
  return m;
}

// Equal keys, and equal totals at position `i` of each.
function sameAt(a: Map<string, [bigint, bigint]>, b: Map<string, [bigint, bigint]>, i: 0 | 1): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k)?.[i] === v[i]);
}

t.test('every statement splits to the unit, and consecutive statements add up', async (t) => {
  fc.assert(
    fc.property(streamArb, (stream) => {
      const c = replay(stream);
      const parts = statements(c, stream.cuts);
      const [union] = statements(c, []);
      const ss = parts.map((p) => p.s);
      for (const s of [...ss, union!.s]) {
        const [g, cr, pl] = [BigInt(s.gross), BigInt(s.creator), BigInt(s.platform)];
        if (cr + pl !== g) return false;
        const err = cr * BPS_WHOLE - g * CREATOR_BPS;
        if (err <= -BPS_WHOLE || err >= BPS_WHOLE) return false;
      }
      const u = union!.s;
      // Coverage tiles the chain: counts add, seq ranges are consecutive.
      if (sum(ss.map((s) => BigInt(s.covers.count))) !== BigInt(u.covers.count)) return false;
      if (ss.some((s, i) => i > 0 && BigInt(s.covers.fromSeq) !== BigInt(ss[i - 1]!.covers.toSeq) + 1n)) return false;
      // Revenue lines are additive exactly: same events and amounts per reporter.
      const [rp, ru] = [totals(ss, 'revenue'), totals([u], 'revenue')];
      if (!sameAt(rp, ru, 0) || !sameAt(rp, ru, 1)) return false;
      // Usage quantities are additive exactly; amounts are floored once per line, so the
      // union bills at least the parts and less than one unit more per part-line.
      if (!sameAt(totals(ss, 'usage'), totals([u], 'usage'), 0)) return false;
      const partLines = ss.reduce((n, s) => n + s.lines.filter((l) => l.kind === 'usage').length, 0);
      const lost = BigInt(u.gross) - sum(ss.map((s) => BigInt(s.gross)));
      if (lost < 0n || lost >= BigInt(Math.max(partLines, 1))) return false;
      // With no usage billed, gross is exactly additive and creators differ by at most one unit per extra part.
      if (partLines === 0 && lost !== 0n) return false;
      if (partLines === 0) {
        const drift = sum(ss.map((s) => BigInt(s.creator))) - BigInt(u.creator);
        if (drift > BigInt(ss.length) || -drift > BigInt(ss.length)) return false;
      }
      return true;
    }),
    { numRuns: 150 },
  );
  t.pass('150 random streams');
});

t.test('every statement of a random stream verifies offline', async (t) => {
  const trusted = new TrustedKeys([platform.publicKey]);
  const ownerKeys = new TrustedKeys([owner.publicKey]);
  fc.assert(
    fc.property(streamArb, (stream) => {
      const c = replay(stream);
      for (const { s, from, to } of statements(c, stream.cuts)) {
        const env = signJsonSync(STATEMENT_MEDIA_TYPE, s, [platform]);
        const opts = { entries: c.entries.slice(from, to), rateCardEnvelopes: c.cardEnvelopes, priorRateCards: c.priorCards(from), trusted, ownerKeys };
        if (verifyStatement(env, opts).statement.gross !== s.gross) return false;
      }
      return true;
    }),
    { numRuns: 40 },
  );
  t.pass('40 random streams');
});

t.test('the pricing floor is per statement line: usage amounts are not additive (documented)', async (t) => {
  const c = new Chain();
  c.rateCard(iso(T0), 1, iso(T0), [price('compute.vcpu', 'vcpu-second', 3n, 3600n)]);
  c.usage(iso(T0 + 1000), 'compute.vcpu', 'vcpu-second', 1800n); // 1.5 units
  c.usage(iso(T0 + 2000), 'compute.vcpu', 'vcpu-second', 1800n); // 1.5 units
  const [a, b] = statements(c, [2]).map((p) => p.s);
  const [u] = statements(c, []).map((p) => p.s);
  t.same([a!.gross, b!.gross, u!.gross], ['1', '1', '3'], 'each part floors 1.5 to 1; the union bills 3');
  const qty = (s: Statement) => s.lines.flatMap((l) => (l.kind === 'usage' ? [l.quantity] : []));
  t.same([a!, b!, u!].flatMap(qty), ['1800', '1800', '3600'], 'quantities add');
});
