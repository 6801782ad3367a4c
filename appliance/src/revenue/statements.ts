import {
  NexusError,
  STATEMENT_MEDIA_TYPE,
  canonicalBytes,
  computeStatement,
  fromBase64,
  fromUtf8,
  sha256,
  signJsonSync,
  toHex,
  type Envelope,
  type LedgerEntryOf,
  type RateCard,
  type SyncSigner,
} from '@nexus-cos/sdk';
import type { Ledger } from '../ledger/ledger.js';
import { readEntry } from '../ledger/read-entry.js';
import type { Receipt } from '../ledger/types.js';

/** Which part of an IMVU's chain a statement covers (inclusive seqs) and in which currency. */
export interface StatementRequest {
  readonly imvu: string;
  readonly currency: string;
  readonly fromSeq: number;
  readonly toSeq: number;
}

/**
 * Computes, signs and logs a period statement (spec/revenue.md). The statement names the
 * entries it covers (seq range, count, Merkle root), so anyone holding the slice and the
 * rate cards recomputes it byte for byte; its envelope is kept as a document and its
 * digest is logged in the IMVU's own chain.
 */
export async function issueStatement(ledger: Ledger, signer: SyncSigner, req: StatementRequest): Promise<{ envelope: Envelope; receipt: Receipt }> {
  await ledger.flush();
  const head = ledger.chains.head(req.imvu);
  if (head === undefined || req.fromSeq < 0 || req.toSeq < req.fromSeq || req.toSeq > head.seq) {
    throw new NexusError('INPUT_INVALID', `seq range ${req.fromSeq}..${req.toSeq} is not in ${req.imvu}'s chain`, { field: '/toSeq' });
  }
  const stored = ledger.store.chain(req.imvu, 0, req.toSeq);
  const all = stored.map((e) => ({ bytes: e.bytes, entry: readEntry(e) }));
  const cards = all.map((e) => e.entry).filter((e): e is LedgerEntryOf<'rate_card'> => e.kind === 'rate_card');
  const rateCards = new Map<string, RateCard>();
  for (const c of cards) {
    const doc = ledger.store.document(c.digest);
    if (doc === undefined) throw new NexusError('RATE_CARD_MISSING', `rate card ${c.digest} is not stored`, { field: '/rateCards' });
    // Stored only after the owner's signature was verified (publishRateCard).
    const env = JSON.parse(fromUtf8(doc.bytes)) as Envelope;
    rateCards.set(c.digest, JSON.parse(fromUtf8(fromBase64(env.payload))) as RateCard);
  }
  const statement = computeStatement({
    imvu: req.imvu,
    currency: req.currency,
    entries: all.slice(req.fromSeq),
    rateCards,
    priorRateCards: cards.filter((c) => Number(c.seq) < req.fromSeq),
  });
  const envelope = signJsonSync(STATEMENT_MEDIA_TYPE, statement, [signer]);
  const bytes = canonicalBytes(envelope);
  const digest = toHex(sha256(bytes));
  const receipt = await ledger.append(
    { kind: 'statement', imvu: req.imvu, actor: signer.publicKey.id, from: statement.period.from, to: statement.period.to, gross: statement.gross, digest },
    `statement\n${req.imvu}\n${req.fromSeq}\n${req.toSeq}`,
    [{ digest, mediaType: STATEMENT_MEDIA_TYPE, bytes }],
  );
  return { envelope, receipt };
}

/** The owner-signed rate card envelopes an IMVU's chain names, for an offline verifier. */
export function rateCardEnvelopes(ledger: Ledger, imvu: string): Envelope[] {
  const head = ledger.chains.head(imvu);
  if (head === undefined) return [];
  return ledger.store
    .chain(imvu, 0, head.seq)
    .map(readEntry)
    .filter((e): e is LedgerEntryOf<'rate_card'> => e.kind === 'rate_card')
    .map((c) => JSON.parse(fromUtf8((ledger.store.document(c.digest) as { bytes: Uint8Array }).bytes)) as Envelope);
}
