import { Type, type Static } from '@sinclair/typebox';
import { assertSchema } from './common.js';
import { Envelope } from './envelope.js';
import { LedgerSlice } from './merkle.js';

/** Media type of a statement with everything needed to recompute it offline. */
export const STATEMENT_BUNDLE_MEDIA_TYPE = 'application/vnd.nexus-cos.statement-bundle.v1+json';

/**
 * A signed statement, the IMVU's complete ledger slice (which holds the covered entries and
 * every rate_card entry before them), and the owner-signed rate cards the slice names.
 */
export const StatementBundle = Type.Object(
  {
    v: Type.Literal(1),
    statement: Envelope,
    slice: LedgerSlice,
    rateCards: Type.Array(Envelope, { maxItems: 10_000 }),
  },
  { additionalProperties: false, $id: 'StatementBundle', title: 'Statement bundle v1' },
);
export type StatementBundle = Static<typeof StatementBundle>;

/** Asserts `x` is a StatementBundle v1, without changing it. */
export function assertStatementBundleV1(x: unknown): asserts x is StatementBundle {
  assertSchema(StatementBundle, x, 'PAYLOAD_INVALID');
}
