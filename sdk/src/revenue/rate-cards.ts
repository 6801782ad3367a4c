import { sha256 } from '../crypto/sha256.js';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { toHex } from '../encoding/hex.js';
import { fail } from '../errors/index.js';
import type { LedgerEntryOf } from '../schemas/ledger.js';
import type { Price, RateCard } from '../schemas/revenue.js';
import { priceKey, priceTable } from './price.js';
import { assertConstitutionalSplit } from './split.js';

/** The digest a `rate_card` ledger entry names: SHA-256 of the owner-signed envelope's canonical JSON bytes, hex. */
export function rateCardDigest(envelope: unknown): string {
  return toHex(sha256(canonicalBytes(envelope)));
}

/** Milliseconds since the epoch of a schema Timestamp; compared as instants, since `...00Z` and `...00.5Z` do not sort as text. */
export function timeMs(ts: string, field: string): number {
  const ms = Date.parse(ts);
  if (!Number.isFinite(ms)) throw fail('INPUT_INVALID', 'not a valid timestamp', field);
  return ms;
}

interface LoggedCard {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly at: number;
  readonly digest: string;
}

/** The price that applies to one usage event. */
export interface ResolvedPrice {
  readonly version: number;
  readonly digest: string;
  readonly price: Price;
}

/**
 * Decides which rate card prices a usage event: among the cards logged earlier in the
 * chain, the one with the greatest effectiveFrom at or before the event's time (ties go
 * to the higher version). Versions must strictly increase along the chain, so that a
 * statement line's (meter, unit, version) names exactly one price.
 */
export class RateCardResolver {
  readonly #logged: LoggedCard[] = [];
  readonly #tables = new Map<string, ReadonlyMap<string, Price>>();
  readonly #used = new Map<number, string>();
  readonly #imvu: string;
  readonly #currency: string;
  readonly #bodies: ReadonlyMap<string, RateCard>;

  /** A resolver for one statement: its IMVU and currency, and the card bodies by digest. */
  constructor(imvu: string, currency: string, bodies: ReadonlyMap<string, RateCard>) {
    this.#imvu = imvu;
    this.#currency = currency;
    this.#bodies = bodies;
  }

  /** Records a rate_card entry, in chain order. */
  log(e: LedgerEntryOf<'rate_card'>, field: string): void {
    const last = this.#logged[this.#logged.length - 1];
    if (last !== undefined && e.version <= last.version) {
      throw fail('INPUT_INVALID', 'rate card versions strictly increase along the chain', `${field}/version`);
    }
    this.#logged.push({ version: e.version, effectiveFrom: e.effectiveFrom, at: timeMs(e.effectiveFrom, `${field}/effectiveFrom`), digest: e.digest });
  }

  /** The price for a usage event, or RATE_CARD_MISSING: usage is never priced at 0 by default. */
  resolve(meter: string, unit: string, time: string, field: string): ResolvedPrice {
    const at = timeMs(time, `${field}/time`);
    let card: LoggedCard | undefined;
    for (const c of this.#logged) if (c.at <= at && (card === undefined || c.at >= card.at)) card = c;
    if (card === undefined) throw fail('RATE_CARD_MISSING', 'no rate card is in force at this time', `${field}/time`);
    const price = this.#table(card).get(priceKey(meter, unit));
    if (price === undefined) throw fail('RATE_CARD_MISSING', `rate card v${card.version} has no price for ${meter}/${unit}`, `${field}/meter`);
    this.#used.set(card.version, card.digest);
    return { version: card.version, digest: card.digest, price };
  }

  /** The cards that priced at least one line, by version. */
  used(): { version: number; digest: string }[] {
    return [...this.#used].sort((a, b) => a[0] - b[0]).map(([version, digest]) => ({ version, digest }));
  }

  // Checks a card body against the entry that logged it, once, on first use.
  #table(c: LoggedCard): ReadonlyMap<string, Price> {
    const cached = this.#tables.get(c.digest);
    if (cached !== undefined) return cached;
    const field = `/rateCards/${c.digest}`;
    const body = this.#bodies.get(c.digest);
    if (body === undefined) throw fail('RATE_CARD_MISSING', `the body of rate card v${c.version} was not supplied`, field);
    assertConstitutionalSplit(body, `${field}/split`);
    const mismatch =
      body.imvu !== this.#imvu ? 'imvu' : body.currency !== this.#currency ? 'currency'
      : body.version !== c.version ? 'version' : body.effectiveFrom !== c.effectiveFrom ? 'effectiveFrom' : undefined;
    if (mismatch !== undefined) throw fail('INPUT_INVALID', `rate card ${mismatch} disagrees with the statement or its ledger entry`, `${field}/${mismatch}`);
    const table = priceTable(body, field);
    this.#tables.set(c.digest, table);
    return table;
  }
}
