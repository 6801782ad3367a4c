import { toBase64 } from '../encoding/base64.js';
import { fail } from '../errors/index.js';
import { assertSchema } from '../schemas/common.js';
import type { LedgerEntryOf } from '../schemas/ledger.js';
import { CONSTITUTIONAL_SPLIT, ROUNDING_RULE, Statement, type RateCard, type RevenueLine } from '../schemas/revenue.js';
import { formatAmount, parseAmount } from './amount.js';
import { coverChain, type ChainEntry } from './chain.js';
import { UsageLines } from './price.js';
import { RateCardResolver } from './rate-cards.js';
import { splitRevenue } from './split.js';

/** What a statement is computed from; the same inputs give the same bytes, on the appliance or offline. */
export interface StatementInput {
  readonly imvu: string;
  readonly currency: string;
  /** Consecutive entries of the IMVU's chain, in seq order; the statement covers exactly these. */
  readonly entries: readonly ChainEntry[];
  /** Rate card bodies by the digest their `rate_card` entries name; only cards that price a line are needed. */
  readonly rateCards: ReadonlyMap<string, RateCard>;
  /** The chain's `rate_card` entries before the first covered entry, in seq order: the cards in force at the start. */
  readonly priorRateCards?: readonly LedgerEntryOf<'rate_card'>[];
}

/**
 * Computes the statement body over `entries`: usage priced per line by the card in force
 * at each event, revenue at face value per reporter, and the 5500/4500 split of the sum.
 * Other kinds are covered (counted and hashed into the root) but bill nothing.
 */
export function computeStatement(input: StatementInput): Statement {
  const { imvu, currency, entries } = input;
  const cover = coverChain(imvu, entries);
  const cards = new RateCardResolver(imvu, currency, input.rateCards);
  let lastPrior = -1n;
  (input.priorRateCards ?? []).forEach((e, i) => {
    const field = `/priorRateCards/${i}`;
    const seq = parseAmount(e.seq, `${field}/seq`);
    if (e.kind !== 'rate_card' || e.imvu !== imvu || seq <= lastPrior || seq >= cover.fromSeq) {
      throw fail('INPUT_INVALID', 'prior rate cards are earlier rate_card entries of this chain, in order', field);
    }
    lastPrior = seq;
    cards.log(e, field);
  });
  const usage = new UsageLines();
  const revenue = new Map<string, { events: bigint; amount: bigint }>();
  entries.forEach(({ entry: e }, i) => {
    const field = `/entries/${i}/entry`;
    if (e.kind === 'rate_card') cards.log(e, field);
    else if (e.kind === 'usage') {
      const r = cards.resolve(e.meter, e.unit, e.time, field);
      usage.add(r.version, r.price, parseAmount(e.quantity, `${field}/quantity`));
    } else if (e.kind === 'revenue') {
      if (e.currency !== currency) throw fail('INPUT_INVALID', `revenue in ${e.currency} on a ${currency} statement`, `${field}/currency`);
      const line = revenue.get(e.reporter) ?? { events: 0n, amount: 0n };
      line.events += 1n;
      line.amount += parseAmount(e.amount, `${field}/amount`);
      revenue.set(e.reporter, line);
    }
  });
  const lines = [...usage.lines(), ...revenueLines(revenue)];
  const gross = lines.reduce((sum, l) => sum + BigInt(l.amount), 0n);
  const { creator, platform } = splitRevenue(gross);
  const first = entries[0]?.entry.time as string;
  const last = entries[entries.length - 1]?.entry.time as string;
  const statement: Statement = {
    imvu,
    period: { from: first, to: last },
    currency,
    rateCards: cards.used(),
    covers: { fromSeq: formatAmount(cover.fromSeq), toSeq: formatAmount(cover.toSeq), count: String(cover.count), root: toBase64(cover.root) },
    lines,
    gross: formatAmount(gross),
    creator: formatAmount(creator),
    platform: formatAmount(platform),
    split: { ...CONSTITUTIONAL_SPLIT },
    roundingRule: ROUNDING_RULE,
  };
  // A caller's bad imvu or currency, or more lines than v1 allows, is refused here rather than signed.
  assertSchema(Statement, statement, 'INPUT_INVALID');
  return statement;
}

function revenueLines(byReporter: ReadonlyMap<string, { events: bigint; amount: bigint }>): RevenueLine[] {
  return [...byReporter]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([reporter, l]) => ({ kind: 'revenue' as const, reporter, events: formatAmount(l.events), amount: formatAmount(l.amount) }));
}
