import { Type, type Static } from '@sinclair/typebox';
import { ImvuId, Timestamp, assertSchema } from './common.js';

/** Media type of a LegalHold payload. */
export const LEGAL_HOLD_MEDIA_TYPE = 'application/vnd.nexus-cos.legal-hold.v1+json';

/**
 * A legal hold on an IMVU's exit (gate 15), signed by the operator who places it. The
 * envelope is kept as a ledger document, so the owner can check who held the exit and why
 * with the SDK alone; its digest is what the gate decision and the notice name.
 */
export const LegalHold = Type.Object(
  {
    imvu: ImvuId,
    reason: Type.String({ minLength: 1, maxLength: 1024 }),
    time: Timestamp,
  },
  { additionalProperties: false, $id: 'LegalHold', title: 'Legal hold v1' },
);
export type LegalHold = Static<typeof LegalHold>;

/** Asserts `x` is a LegalHold v1, without changing it. */
export function assertLegalHoldV1(x: unknown): asserts x is LegalHold {
  assertSchema(LegalHold, x, 'PAYLOAD_INVALID');
}
