import t from 'tap';
import { toBase64 } from '../../../sdk/src/encoding/base64.js';
import { leafHash } from '../../../sdk/src/merkle/hash.js';
import { rootFromLeafHashes } from '../../../sdk/src/merkle/accumulator.js';
import { priceUsage } from '../../../sdk/src/revenue/price.js';
import { computeStatement } from '../../../sdk/src/revenue/statement.js';
import { assertStatementV1 } from '../../../sdk/src/schemas/revenue.js';
import { throwsCode } from '../../helpers/codes.js';
import { Chain, IMVU, entryBytes, price, reporterA, reporterB } from './fixture.js';

const VCPU = price('compute.vcpu', 'vcpu-second', 3n, 3600n); // 3 minor units per vCPU-hour
const MAIL = price('mail.messages', 'message', 1n, 10n);

function sample(): Chain {
  const c = new Chain();
  c.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU, MAIL]);
  c.usage('2025-01-01T01:00:00Z', 'compute.vcpu', 'vcpu-second', 1800n);
  c.usage('2025-01-01T02:00:00Z', 'compute.vcpu', 'vcpu-second', 1800n);
  c.usage('2025-01-01T02:00:00.5Z', 'mail.messages', 'message', 7n);
  c.revenue('2025-01-01T03:00:00Z', 995n, reporterB);
  c.revenue('2025-01-01T03:30:00Z', 5n, reporterA);
  c.audit('2025-01-01T04:00:00Z');
  // v2 is logged now but only takes effect at 06:00: the 05:00 event is still priced by v1.
  c.rateCard('2025-01-01T04:30:00Z', 2, '2025-01-01T06:00:00Z', [price('compute.vcpu', 'vcpu-second', 6n, 3600n)]);
  c.usage('2025-01-01T05:00:00Z', 'compute.vcpu', 'vcpu-second', 3600n);
  c.usage('2025-01-01T06:00:00Z', 'compute.vcpu', 'vcpu-second', 1200n);
  return c;
}

t.test('a statement: lines per card version, revenue per reporter, split, coverage', async (t) => {
  const c = sample();
  const s = computeStatement({ imvu: IMVU, currency: 'EUR', entries: c.entries, rateCards: c.cards });
  assertStatementV1(s);
  const revenue = { [reporterA]: '5', [reporterB]: '995' };
  const byReporter = [reporterA, reporterB].sort().map((r) => ({ kind: 'revenue', reporter: r, events: '1', amount: revenue[r] }));
  t.same(s.lines, [
    { kind: 'usage', meter: 'compute.vcpu', unit: 'vcpu-second', rateCard: 1, quantity: '7200', amount: '6' },
    { kind: 'usage', meter: 'mail.messages', unit: 'message', rateCard: 1, quantity: '7', amount: '0' },
    { kind: 'usage', meter: 'compute.vcpu', unit: 'vcpu-second', rateCard: 2, quantity: '1200', amount: '2' },
    ...byReporter,
  ]);
  t.equal(s.gross, '1008');
  t.same([s.creator, s.platform], ['554', '454'], '554.4 / 453.6: the unit goes to the larger remainder, .6');
  t.same(s.period, { from: '2025-01-01T00:00:00Z', to: '2025-01-01T06:00:00Z' });
  t.same(s.rateCards.map((r) => r.version), [1, 2]);
  const root = toBase64(rootFromLeafHashes(c.entries.map((e) => leafHash(e.bytes))));
  t.same(s.covers, { fromSeq: '0', toSeq: '9', count: '10', root });
});

t.test('pricing floors once per line, never per event', async (t) => {
  // 3600 events of 1 vCPU-second: per-event flooring would bill 0, the line bills 3.
  const c = new Chain();
  c.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU]);
  for (let i = 0; i < 3600; i++) c.usage('2025-01-01T01:00:00Z', 'compute.vcpu', 'vcpu-second', 1n);
  const s = computeStatement({ imvu: IMVU, currency: 'EUR', entries: c.entries, rateCards: c.cards });
  t.equal(s.lines[0]?.amount, '3');
  t.equal(priceUsage(1n, VCPU), 0n, 'one event alone is below a unit and not billed');
  t.equal(priceUsage(10n ** 30n, VCPU), 10n ** 30n / 1200n, 'exact at 10^30');
});

t.test('usage with no price is RATE_CARD_MISSING, never priced at 0', async (t) => {
  const none = new Chain();
  none.usage('2025-01-01T01:00:00Z', 'compute.vcpu', 'vcpu-second', 1n);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: none.entries, rateCards: none.cards }), 'RATE_CARD_MISSING', 'no card logged');

  const early = new Chain();
  early.rateCard('2025-01-01T00:00:00Z', 1, '2025-02-01T00:00:00Z', [VCPU]);
  early.usage('2025-01-15T00:00:00Z', 'compute.vcpu', 'vcpu-second', 1n);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: early.entries, rateCards: early.cards }), 'RATE_CARD_MISSING', 'card not yet in force');

  const other = new Chain();
  other.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU]);
  other.usage('2025-01-01T01:00:00Z', 'disk.bytes', 'byte', 1n);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: other.entries, rateCards: other.cards }), 'RATE_CARD_MISSING', 'meter not priced');
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: other.entries.slice(0, 1).concat(sample().entries.slice(1, 2)), rateCards: new Map() }), 'INPUT_INVALID', 'entries from another chain');

  const c = sample();
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: c.entries, rateCards: new Map() }), 'RATE_CARD_MISSING', 'card body not supplied');
});

t.test('a card logged after a usage entry does not price it, even if effective earlier', async (t) => {
  const c = new Chain();
  c.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU]);
  c.usage('2025-01-01T05:00:00Z', 'compute.vcpu', 'vcpu-second', 3600n);
  c.rateCard('2025-01-01T06:00:00Z', 2, '2025-01-01T04:00:00Z', [price('compute.vcpu', 'vcpu-second', 100n, 1n)]);
  c.usage('2025-01-01T07:00:00Z', 'compute.vcpu', 'vcpu-second', 1n);
  const s = computeStatement({ imvu: IMVU, currency: 'EUR', entries: c.entries, rateCards: c.cards });
  t.same(s.lines.map((l) => [l.kind === 'usage' ? l.rateCard : 0, l.amount]), [[1, '3'], [2, '100']]);
});

t.test('later statements use cards logged before their range (priorRateCards)', async (t) => {
  const c = sample();
  const tail = c.entries.slice(8);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: tail, rateCards: c.cards }), 'RATE_CARD_MISSING');
  const s = computeStatement({ imvu: IMVU, currency: 'EUR', entries: tail, rateCards: c.cards, priorRateCards: c.priorCards(8) });
  t.same(s.covers.fromSeq, '8');
  t.same(s.lines.map((l) => l.amount), ['3', '2']);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: c.entries.slice(5), rateCards: c.cards, priorRateCards: c.priorCards(8) }), 'INPUT_INVALID', 'a prior card inside the range');
});

t.test('refusals: currency, bad split, card disagreeing with its entry, broken chains', async (t) => {
  const usd = new Chain();
  usd.revenue('2025-01-01T00:00:00Z', 1n, reporterA, 'USD');
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: usd.entries, rateCards: usd.cards }), 'INPUT_INVALID', 'revenue in another currency');

  const split = new Chain();
  split.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU], undefined, { split: { creatorBps: 5000, platformBps: 5000 } as never });
  split.usage('2025-01-01T01:00:00Z', 'compute.vcpu', 'vcpu-second', 1n);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: split.entries, rateCards: split.cards }), 'REVENUE_SPLIT_VIOLATION', '5000/5000 card');

  const cur = new Chain();
  cur.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU], undefined, { currency: 'USD' });
  cur.usage('2025-01-01T01:00:00Z', 'compute.vcpu', 'vcpu-second', 1n);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: cur.entries, rateCards: cur.cards }), 'INPUT_INVALID', 'card in another currency');

  const dup = new Chain();
  dup.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU, VCPU]);
  dup.usage('2025-01-01T01:00:00Z', 'compute.vcpu', 'vcpu-second', 1n);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: dup.entries, rateCards: dup.cards }), 'INPUT_INVALID', 'two prices for one meter');

  const ver = new Chain();
  ver.rateCard('2025-01-01T00:00:00Z', 2, '2025-01-01T00:00:00Z', [VCPU]);
  ver.rateCard('2025-01-01T00:00:00Z', 2, '2025-01-01T00:00:00Z', [VCPU]);
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: ver.entries, rateCards: ver.cards }), 'INPUT_INVALID', 'version not increasing');

  const c = sample();
  const gap = [...c.entries.slice(0, 3), ...c.entries.slice(4)];
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: gap, rateCards: c.cards }), 'INPUT_INVALID', 'a missing entry');
  const first = c.entries[4]!;
  const lied = [...c.entries.slice(0, 4), { bytes: first.bytes, entry: { ...first.entry, amount: '1' } as typeof first.entry }, ...c.entries.slice(5)];
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: lied, rateCards: c.cards }), 'INPUT_INVALID', 'entry differs from its bytes');
  const forged = { bytes: entryBytes({ ...first.entry, seq: '0' }), entry: { ...first.entry, seq: '0' } };
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: [forged], rateCards: c.cards }), 'INPUT_INVALID', 'seq 0 without genesis prev');
  throwsCode(t, () => computeStatement({ imvu: IMVU, currency: 'EUR', entries: [], rateCards: c.cards }), 'INPUT_INVALID', 'no entries');
  throwsCode(t, () => computeStatement({ imvu: 'IMVU-043', currency: 'EUR', entries: c.entries, rateCards: c.cards }), 'INPUT_INVALID', 'other imvu');
});
