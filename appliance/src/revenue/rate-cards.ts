import {
  NexusError,
  RATE_CARD_MEDIA_TYPE,
  assertConstitutionalSplit,
  assertRateCardV1,
  canonicalBytes,
  openJsonEnvelope,
  rateCardDigest,
  type TrustedKeys,
} from '@nexus-cos/sdk';
import type { Ledger } from '../ledger/ledger.js';
import { readEntry } from '../ledger/read-entry.js';
import type { Receipt } from '../ledger/types.js';

/**
 * Logs a rate card its IMVU's owner signed. Gate 3 is checked before anything is written:
 * the split must be the constitutional 5500/4500, and versions only go up. The signed
 * envelope is kept as a document, so statements can be recomputed from the ledger alone.
 */
export function publishRateCard(ledger: Ledger, envelope: unknown, ownerKeys: TrustedKeys): Promise<Receipt> {
  try {
    const { value, verified } = openJsonEnvelope(envelope, { trusted: ownerKeys, payloadType: RATE_CARD_MEDIA_TYPE });
    assertConstitutionalSplit(value);
    assertRateCardV1(value);
    const head = ledger.chains.head(value.imvu);
    const last = head === undefined ? undefined : ledger.store.chain(value.imvu, 0, head.seq).map(readEntry).filter((e) => e.kind === 'rate_card').pop();
    if (last !== undefined && last.kind === 'rate_card' && value.version <= last.version) {
      throw new NexusError('INPUT_INVALID', `rate card version must exceed ${last.version}`, { field: '/version' });
    }
    const digest = rateCardDigest(envelope);
    return ledger.append(
      { kind: 'rate_card', imvu: value.imvu, actor: verified.signedBy[0] as string, version: value.version, effectiveFrom: value.effectiveFrom, digest },
      `rate_card\n${value.imvu}\n${value.version}`,
      [{ digest, mediaType: RATE_CARD_MEDIA_TYPE, bytes: canonicalBytes(envelope) }],
    );
  } catch (e) {
    return Promise.reject(e);
  }
}
