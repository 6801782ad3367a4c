import { fail } from '../errors/index.js';
import { verifyStatement, type VerifiedStatement } from '../revenue/verify-statement.js';
import type { LedgerEntryOf } from '../schemas/ledger.js';
import { STATEMENT_MEDIA_TYPE, assertStatementV1 } from '../schemas/revenue.js';
import { assertStatementBundleV1 } from '../schemas/statement-bundle.js';
import { openJsonEnvelope } from './envelope.js';
import { verifyLedgerSlice } from './slice.js';
import type { TrustedKeys } from './trust.js';
import type { LoadedTrustedRoot } from './trusted-root.js';

/**
 * Verifies a statement bundle offline: the slice is complete and platform-signed, the
 * statement is platform-signed, and recomputing it from the entries it covers and the
 * owner-signed rate cards gives the same bytes (spec/revenue.md).
 */
export function verifyStatementBundle(value: unknown, root: LoadedTrustedRoot, ownerKeys: TrustedKeys): VerifiedStatement {
  assertStatementBundleV1(value);
  const slice = verifyLedgerSlice(value.slice, root);
  const { value: body } = openJsonEnvelope(value.statement, { trusted: root.keys, payloadType: STATEMENT_MEDIA_TYPE });
  assertStatementV1(body);
  if (body.imvu !== slice.head.chain) throw fail('STATEMENT_MISMATCH', 'statement is for another IMVU', '/statement/imvu');
  const from = Number(body.covers.fromSeq);
  const to = Number(body.covers.toSeq);
  if (to >= slice.entries.length) throw fail('STATEMENT_MISMATCH', 'statement covers entries beyond the slice', '/statement/covers');
  const chain = slice.entries.map((e) => ({ bytes: e.bytes, entry: e.entry }));
  const priorRateCards = chain
    .slice(0, from)
    .map((e) => e.entry)
    .filter((e): e is LedgerEntryOf<'rate_card'> => e.kind === 'rate_card');
  return verifyStatement(value.statement, {
    entries: chain.slice(from, to + 1),
    rateCardEnvelopes: value.rateCards,
    priorRateCards,
    trusted: root.keys,
    ownerKeys,
  });
}
