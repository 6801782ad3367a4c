import { fromBase64 } from '../encoding/base64.js';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { bytesEqual } from '../encoding/utf8.js';
import { fail, isNexusError } from '../errors/index.js';
import type { LedgerEntryOf } from '../schemas/ledger.js';
import { RATE_CARD_MEDIA_TYPE, STATEMENT_MEDIA_TYPE, assertRateCardV1, assertStatementV1, type RateCard, type Statement } from '../schemas/revenue.js';
import { openJsonEnvelope } from '../verify/envelope.js';
import type { TrustedKeys } from '../verify/trust.js';
import { parseAmount } from './amount.js';
import { coverageRoot, type ChainEntry } from './chain.js';
import { firstDifference } from './diff.js';
import { rateCardDigest } from './rate-cards.js';
import { assertConstitutionalSplit, assertSharesOf } from './split.js';
import { computeStatement } from './statement.js';

/** What an offline verifier hands in besides the statement envelope. */
export interface VerifyStatementOptions {
  /** The covered chain entries, in seq order, already verified against the log. */
  readonly entries: readonly ChainEntry[];
  /** Owner-signed RateCard envelopes; their digests are what `rate_card` entries name. */
  readonly rateCardEnvelopes: readonly unknown[];
  /** The chain's `rate_card` entries before the covered range (see StatementInput). */
  readonly priorRateCards?: readonly LedgerEntryOf<'rate_card'>[];
  /** The platform keys that sign statements. */
  readonly trusted: TrustedKeys;
  /** The IMVU owner's keys, which sign rate cards. */
  readonly ownerKeys: TrustedKeys;
}

/** A statement whose signature, split and every line were checked against the ledger. */
export interface VerifiedStatement {
  readonly statement: Statement;
  readonly signedBy: readonly string[];
}

/**
 * Verifies a signed statement offline: the platform's signature, the constitutional
 * split (gate 3), its coverage of exactly `entries`, the owner's signature on every
 * rate card, and then that recomputing it yields byte-identical canonical JSON.
 */
export function verifyStatement(envelope: unknown, opts: VerifyStatementOptions): VerifiedStatement {
  const { value, verified } = openJsonEnvelope(envelope, { trusted: opts.trusted, payloadType: STATEMENT_MEDIA_TYPE });
  assertConstitutionalSplit(value);
  assertStatementV1(value);
  assertSharesOf(parseAmount(value.gross, '/gross'), parseAmount(value.creator, '/creator'), parseAmount(value.platform, '/platform'));
  assertCovers(value, opts.entries);
  const expected = computeStatement({
    imvu: value.imvu,
    currency: value.currency,
    entries: opts.entries,
    rateCards: openRateCards(opts.rateCardEnvelopes, opts.ownerKeys),
    ...(opts.priorRateCards === undefined ? {} : { priorRateCards: opts.priorRateCards }),
  });
  if (!bytesEqual(verified.payload, canonicalBytes(expected))) {
    // No structural difference means the payload was signed in a non-canonical form.
    throw fail('STATEMENT_MISMATCH', 'the statement differs from its recomputation', firstDifference(value, expected) ?? '/');
  }
  return { statement: value, signedBy: verified.signedBy };
}

// Checked before recomputing, so a missing or rewritten entry is reported as the
// statement not covering what was handed in, rather than as a broken chain.
function assertCovers(s: Statement, entries: readonly ChainEntry[]): void {
  const c = s.covers;
  const firstSeq = entries[0]?.entry.seq;
  const lastSeq = entries[entries.length - 1]?.entry.seq;
  if (c.count !== String(entries.length)) throw fail('STATEMENT_MISMATCH', 'covers a different number of entries', '/covers/count');
  if (c.fromSeq !== firstSeq) throw fail('STATEMENT_MISMATCH', 'covers a different first entry', '/covers/fromSeq');
  if (c.toSeq !== lastSeq) throw fail('STATEMENT_MISMATCH', 'covers a different last entry', '/covers/toSeq');
  if (!bytesEqual(fromBase64(c.root, '/covers/root'), coverageRoot(entries))) {
    throw fail('STATEMENT_MISMATCH', 'covered entries hash to a different root', '/covers/root');
  }
}

/** Opens owner-signed rate cards, checking gate 3 before the schema, keyed by envelope digest. */
function openRateCards(envelopes: readonly unknown[], ownerKeys: TrustedKeys): Map<string, RateCard> {
  const cards = new Map<string, RateCard>();
  envelopes.forEach((env, i) => {
    const field = `/rateCardEnvelopes/${i}`;
    try {
      const { value } = openJsonEnvelope(env, { trusted: ownerKeys, payloadType: RATE_CARD_MEDIA_TYPE });
      assertConstitutionalSplit(value);
      assertRateCardV1(value);
      cards.set(rateCardDigest(env), value);
    } catch (e) {
      throw isNexusError(e) ? fail(e.code, e.message, `${field}${e.field ?? ''}`, e) : e;
    }
  });
  return cards;
}
