import { Type, type Static } from '@sinclair/typebox';
import { DidKey, ImvuId, Sha256Hex, Timestamp, UIntString, assertSchema } from './common.js';
import { Base64Hash } from './merkle.js';

/** Media type of a rate card. */
export const RATE_CARD_MEDIA_TYPE = 'application/vnd.nexus-cos.rate-card.v1+json';
/** Media type of a period statement. */
export const STATEMENT_MEDIA_TYPE = 'application/vnd.nexus-cos.statement.v1+json';

/** The only rounding rule: remainders go by largest remainder, ties to the creator, so no unit is lost or invented. */
export const ROUNDING_RULE = 'largest-remainder-creator-first-v1';

/** An ISO 4217 alphabetic currency code. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
/** A meter name such as `compute.vcpu` or `mail.bytes`. */
export const Meter = Type.String({ pattern: '^[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*$', maxLength: 64 });
/** A unit of quantity such as `vcpu-second`, `byte` or `message`. */
export const Unit = Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 32 });
/** A rate card's version: a positive int32, strictly increasing along an IMVU's chain. */
export const RateCardVersion = Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 });
/** A positive integer as a decimal string (a divisor may not be zero). */
const PositiveUIntString = Type.String({ pattern: '^[1-9][0-9]{0,77}$' });

/**
 * The constitutional split in basis points (gate 3), the one source of both numbers;
 * sdk/src/revenue/split.ts derives its bigint constants from it.
 */
export const CONSTITUTIONAL_SPLIT = { creatorBps: 5500, platformBps: 4500 } as const;

/**
 * The split as literals, not integers: a rate card or statement with any other split is
 * not schema-valid, so no request can change it.
 */
export const RevenueSplit = Type.Object(
  { creatorBps: Type.Literal(CONSTITUTIONAL_SPLIT.creatorBps), platformBps: Type.Literal(CONSTITUTIONAL_SPLIT.platformBps) },
  { additionalProperties: false },
);
export type RevenueSplit = Static<typeof RevenueSplit>;

/** One price: `priceMinor` minor units for every `per` units of `meter`. */
export const Price = Type.Object(
  { meter: Meter, unit: Unit, priceMinor: UIntString, per: PositiveUIntString },
  { additionalProperties: false },
);
export type Price = Static<typeof Price>;

/** An IMVU's signed price list; a new version supersedes the old one from `effectiveFrom`. */
export const RateCard = Type.Object(
  {
    imvu: ImvuId,
    version: RateCardVersion,
    currency: Currency,
    effectiveFrom: Timestamp,
    prices: Type.Array(Price, { maxItems: 256 }),
    split: RevenueSplit,
  },
  { additionalProperties: false, $id: 'RateCard', title: 'Rate card v1' },
);
export type RateCard = Static<typeof RateCard>;

/** A statement line for metered usage: the summed quantity of one meter and unit, priced by one rate card version. */
export const UsageLine = Type.Object(
  { kind: Type.Literal('usage'), meter: Meter, unit: Unit, rateCard: RateCardVersion, quantity: UIntString, amount: UIntString },
  { additionalProperties: false },
);
export type UsageLine = Static<typeof UsageLine>;
/** A statement line summing the revenue events one reporter signed. */
export const RevenueLine = Type.Object(
  { kind: Type.Literal('revenue'), reporter: DidKey, events: UIntString, amount: UIntString },
  { additionalProperties: false },
);
export type RevenueLine = Static<typeof RevenueLine>;
/** One line of a statement. */
export const StatementLine = Type.Union([UsageLine, RevenueLine]);
export type StatementLine = Static<typeof StatementLine>;

/**
 * A period statement over one IMVU's chain. It covers the contiguous entries
 * fromSeq..toSeq (inclusive, `count` of them), and `root` is the RFC 6962 root over
 * their leaf hashes, so an offline verifier handed those entries and the owner-signed
 * rate cards recomputes every line and the split (spec/revenue.md).
 */
export const Statement = Type.Object(
  {
    imvu: ImvuId,
    period: Type.Object({ from: Timestamp, to: Timestamp }, { additionalProperties: false }),
    currency: Currency,
    rateCards: Type.Array(Type.Object({ version: RateCardVersion, digest: Sha256Hex }, { additionalProperties: false }), { maxItems: 4096 }),
    covers: Type.Object({ fromSeq: UIntString, toSeq: UIntString, count: UIntString, root: Base64Hash }, { additionalProperties: false }),
    lines: Type.Array(StatementLine, { maxItems: 4096 }),
    gross: UIntString,
    creator: UIntString,
    platform: UIntString,
    split: RevenueSplit,
    roundingRule: Type.Literal(ROUNDING_RULE),
  },
  { additionalProperties: false, $id: 'Statement', title: 'Statement v1' },
);
export type Statement = Static<typeof Statement>;

/** Asserts `x` is a RateCard v1, without changing it. */
export function assertRateCardV1(x: unknown): asserts x is RateCard {
  assertSchema(RateCard, x, 'PAYLOAD_INVALID');
}

/** Asserts `x` is a Statement v1, without changing it. The arithmetic is checked by the verifier, not here. */
export function assertStatementV1(x: unknown): asserts x is Statement {
  assertSchema(Statement, x, 'PAYLOAD_INVALID');
}
