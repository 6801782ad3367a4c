import {
  NexusError,
  REVENUE_REPORT_MEDIA_TYPE,
  assertRevenueReportV1,
  canonicalBytes,
  openJsonEnvelope,
  sha256,
  toHex,
  type TrustedKeys,
} from '@nexus-cos/sdk';
import type { Ledger } from './ledger.js';
import type { Receipt } from './types.js';

/** A usage event in CloudEvents terms, attributed to an IMVU and the identity that caused it. */
export interface UsageEvent {
  readonly imvu: string;
  readonly actor: string;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly meter: string;
  readonly quantity: bigint;
  readonly unit: string;
}

/**
 * Records a usage event, signed by the platform as it is recorded. Idempotent on
 * (source, id), as CloudEvents defines event identity: a retry never bills twice.
 */
export function recordUsage(ledger: Ledger, e: UsageEvent): Promise<Receipt> {
  if (typeof e.quantity !== 'bigint' || e.quantity < 0n) {
    return Promise.reject(new NexusError('INPUT_INVALID', 'quantity is a non-negative integer', { field: '/quantity' }));
  }
  const { quantity, ...rest } = e;
  return ledger.append({ kind: 'usage', ...rest, quantity: quantity.toString() }, `usage\n${e.source}\n${e.id}`);
}

/**
 * Records a revenue event that its reporter signed. The reporter's signature is verified
 * first; the ledger entry names the reporter and the digest of their envelope.
 */
export function recordRevenue(ledger: Ledger, envelope: unknown, reporters: TrustedKeys, actor: string): Promise<Receipt> {
  try {
    const { value: r, verified } = openJsonEnvelope(envelope, { trusted: reporters, payloadType: REVENUE_REPORT_MEDIA_TYPE });
    assertRevenueReportV1(r);
    // One accountable reporter: with two, a re-sent report with its signatures reordered
    // could name another reporter. Idempotency is keyed on the report itself (IMVU, id).
    if (verified.signedBy.length !== 1) throw new NexusError('INPUT_INVALID', 'exactly one trusted reporter signs a revenue report', { field: '/signatures' });
    const reporter = verified.signedBy[0] as string;
    const bytes = canonicalBytes(envelope);
    const digest = toHex(sha256(bytes));
    // The reporter's envelope is kept beside the entry, so an exit carries their signature too.
    return ledger.append(
      { kind: 'revenue', imvu: r.imvu, actor, time: r.time, id: r.id, amount: r.amount, currency: r.currency, reporter, envelope: digest },
      `revenue\n${r.imvu}\n${r.id}`,
      [{ digest, mediaType: REVENUE_REPORT_MEDIA_TYPE, bytes }],
    );
  } catch (e) {
    return Promise.reject(e);
  }
}

