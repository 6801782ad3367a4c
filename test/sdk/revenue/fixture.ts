// Builds signed IMVU chains for the revenue tests: each entry is stored as the canonical
// bytes of a DSSE envelope, chained by prev = leaf hash of the previous entry's bytes.
import { canonicalBytes } from '../../../sdk/src/encoding/canonical-json.js';
import { entryHash } from '../../../sdk/src/ledger/entry.js';
import { signJsonSync } from '../../../sdk/src/sign/envelope.js';
import { LocalSigner } from '../../../sdk/src/sign/local-signer.js';
import type { ChainEntry } from '../../../sdk/src/revenue/chain.js';
import { rateCardDigest } from '../../../sdk/src/revenue/rate-cards.js';
import type { Envelope } from '../../../sdk/src/schemas/envelope.js';
import { GENESIS_PREV, LEDGER_ENTRY_MEDIA_TYPE, type LedgerEntry, type LedgerEntryOf } from '../../../sdk/src/schemas/ledger.js';
import { RATE_CARD_MEDIA_TYPE, type Price, type RateCard } from '../../../sdk/src/schemas/revenue.js';

type Header = 'v' | 'imvu' | 'seq' | 'prev' | 'actor';
/** An entry's own fields; the chain fills in the header. */
export type Body = LedgerEntry extends infer E ? (E extends LedgerEntry ? Omit<E, Header> : never) : never;

export const IMVU = 'IMVU-042';
export const platform = LocalSigner.fromSeed(new Uint8Array(32).fill(3));
export const owner = LocalSigner.fromSeed(new Uint8Array(32).fill(1));
export const stranger = LocalSigner.fromSeed(new Uint8Array(32).fill(9), 'noble');
export const reporterA = LocalSigner.fromSeed(new Uint8Array(32).fill(4)).publicKey.id;
export const reporterB = LocalSigner.fromSeed(new Uint8Array(32).fill(5)).publicKey.id;
export const HEX = 'ab'.repeat(32);

/** The stored bytes of an entry signed by the platform. */
export function entryBytes(entry: LedgerEntry, signer: LocalSigner = platform): Uint8Array {
  return canonicalBytes(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, entry, [signer]));
}

/** One IMVU's chain plus the owner-signed rate card envelopes logged in it. */
export class Chain {
  readonly entries: ChainEntry[] = [];
  readonly cardEnvelopes: Envelope[] = [];
  readonly cards = new Map<string, RateCard>();
  #n = 0;

  append(body: Body): ChainEntry {
    const last = this.entries[this.entries.length - 1];
    const prev = last === undefined ? GENESIS_PREV : entryHash(last.bytes);
    const entry = { v: 1, imvu: IMVU, seq: String(this.entries.length), prev, actor: platform.publicKey.id, ...body } as LedgerEntry;
    const e = { bytes: entryBytes(entry), entry };
    this.entries.push(e);
    return e;
  }

  usage(time: string, meter: string, unit: string, quantity: bigint): ChainEntry {
    const id = `u-${this.#n++}`;
    return this.append({ kind: 'usage', time, id, source: '/meters', type: 'dev.nexus-cos.usage', subject: 'vm:web-1', meter, unit, quantity: String(quantity) });
  }

  revenue(time: string, amount: bigint, reporter = reporterA, currency = 'EUR'): ChainEntry {
    return this.append({ kind: 'revenue', time, id: `r-${this.#n++}`, amount: String(amount), currency, reporter, envelope: HEX });
  }

  audit(time: string): ChainEntry {
    return this.append({ kind: 'audit', time, action: 'imvu.suspend', resource: 'imvu:IMVU-042', decision: HEX });
  }

  /** Signs a rate card as `signer` (the owner by default) and logs it. */
  rateCard(time: string, version: number, effectiveFrom: string, prices: Price[], signer = owner, extra: Partial<RateCard> = {}): ChainEntry {
    const card = { imvu: IMVU, version, currency: 'EUR', effectiveFrom, prices, split: { creatorBps: 5500, platformBps: 4500 }, ...extra } as RateCard;
    const env = signJsonSync(RATE_CARD_MEDIA_TYPE, card, [signer]);
    const digest = rateCardDigest(env);
    this.cardEnvelopes.push(env);
    this.cards.set(digest, card);
    return this.append({ kind: 'rate_card', time, version, effectiveFrom, digest });
  }

  /** The rate_card entries among the first `n` entries: what is in force before entry n. */
  priorCards(n: number): LedgerEntryOf<'rate_card'>[] {
    return this.entries
      .slice(0, n)
      .map((e) => e.entry)
      .filter((e): e is LedgerEntryOf<'rate_card'> => e.kind === 'rate_card');
  }
}

/** A price for `meter`/`unit`. */
export function price(meter: string, unit: string, priceMinor: bigint, per: bigint): Price {
  return { meter, unit, priceMinor: String(priceMinor), per: String(per) };
}
