import { Type, type Static } from '@sinclair/typebox';
import { ImvuId, Timestamp, UIntString, assertSchema } from './common.js';

/** Media type of a revenue report, signed by whoever reports the revenue (a payment processor, say). */
export const REVENUE_REPORT_MEDIA_TYPE = 'application/vnd.nexus-cos.revenue-report.v1+json';

/** A revenue event as its reporter signs it; amounts in minor units as decimal strings. */
export const RevenueReport = Type.Object(
  {
    v: Type.Literal(1),
    imvu: ImvuId,
    id: Type.String({ minLength: 1, maxLength: 128 }),
    amount: UIntString,
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    time: Timestamp,
  },
  { additionalProperties: false, $id: 'RevenueReport', title: 'Revenue report v1' },
);
export type RevenueReport = Static<typeof RevenueReport>;

/** Asserts `x` is a RevenueReport v1, without changing it. */
export function assertRevenueReportV1(x: unknown): asserts x is RevenueReport {
  assertSchema(RevenueReport, x, 'PAYLOAD_INVALID');
}
