import { fail } from '../errors/index.js';
import type { Price, RateCard, UsageLine } from '../schemas/revenue.js';
import { formatAmount, parseAmount } from './amount.js';

/**
 * The amount of one usage line: floor(quantity × priceMinor ÷ per). The sub-unit
 * fraction is not billed, so a line is never over-billed, by less than one minor unit.
 */
export function priceUsage(quantity: bigint, price: Price): bigint {
  return (quantity * parseAmount(price.priceMinor, '/priceMinor')) / parseAmount(price.per, '/per');
}

/** A card's prices by meter and unit. Two prices for one pair would make pricing ambiguous, so they are refused. */
export function priceTable(card: RateCard, field: string): ReadonlyMap<string, Price> {
  const table = new Map<string, Price>();
  card.prices.forEach((p, i) => {
    const key = priceKey(p.meter, p.unit);
    if (table.has(key)) throw fail('INPUT_INVALID', 'a rate card prices each meter and unit once', `${field}/prices/${i}`);
    table.set(key, p);
  });
  return table;
}

/** Key of a (meter, unit) pair; NUL never occurs in either, so keys cannot collide. */
export function priceKey(meter: string, unit: string): string {
  return `${meter}\u0000${unit}`;
}

interface Tally {
  readonly version: number;
  readonly meter: string;
  readonly unit: string;
  readonly price: Price;
  quantity: bigint;
}

/**
 * Sums quantities per (rate card version, meter, unit) and prices each sum once, at the
 * end. Aggregating per line per statement, not per event, is what keeps the floor from
 * accumulating: a statement loses less than one unit per line, however many events it has.
 */
export class UsageLines {
  readonly #lines = new Map<string, Tally>();

  /** Adds one usage event's quantity under the price in force for it. */
  add(version: number, price: Price, quantity: bigint): void {
    const key = `${version}\u0000${priceKey(price.meter, price.unit)}`;
    const line = this.#lines.get(key);
    if (line === undefined) this.#lines.set(key, { version, meter: price.meter, unit: price.unit, price, quantity });
    else line.quantity += quantity;
  }

  /** The priced lines, ordered by card version, then meter, then unit. */
  lines(): UsageLine[] {
    return [...this.#lines.values()].sort(compareTally).map((l) => ({
      kind: 'usage' as const,
      meter: l.meter,
      unit: l.unit,
      rateCard: l.version,
      quantity: formatAmount(l.quantity),
      amount: formatAmount(priceUsage(l.quantity, l.price)),
    }));
  }
}

function compareTally(a: Tally, b: Tally): number {
  if (a.version !== b.version) return a.version - b.version;
  if (a.meter !== b.meter) return a.meter < b.meter ? -1 : 1;
  if (a.unit !== b.unit) return a.unit < b.unit ? -1 : 1;
  return 0;
}
