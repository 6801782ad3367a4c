import {
  NexusError,
  headLeafData,
  inclusionProof,
  leafHash,
  toBase64,
  type ConsistencyProof,
  type HeadProof,
  type InclusionProof,
  type LedgerSlice,
} from '@nexus-cos/sdk';
import type { HeldCheckpoint } from './checkpointer.js';
import type { Ledger } from './ledger.js';

const b64 = (hs: readonly Uint8Array[]): string[] => hs.map((h) => toBase64(h));

function latest(ledger: Ledger): HeldCheckpoint {
  const cp = ledger.checkpointer.latest;
  if (cp === undefined) throw new NexusError('INPUT_INVALID', 'no checkpoint has been signed yet', { field: '/checkpoint' });
  return cp;
}

/** Inclusion proof of entry `index` against the latest signed checkpoint that covers it. */
export function inclusionArtifact(ledger: Ledger, index: number): InclusionProof {
  const cp = latest(ledger);
  if (!Number.isSafeInteger(index) || index < 0 || index >= cp.size) {
    throw new NexusError('MERKLE_INDEX_OUT_OF_RANGE', `entry ${index} is not covered by the latest checkpoint (size ${cp.size})`, { field: '/index' });
  }
  return {
    v: 1, logIndex: String(index), treeSize: String(cp.size), leafHash: toBase64(ledger.tree.leaf(index)),
    hashes: b64(ledger.tree.inclusionProof(index, cp.size)), checkpoint: cp.note,
  };
}

/** Consistency proof between two signed checkpoints (by size). */
export function consistencyArtifact(ledger: Ledger, oldSize: number, newSize: number): ConsistencyProof {
  const a = ledger.checkpointer.at(oldSize);
  const b = ledger.checkpointer.at(newSize);
  if (a === undefined || b === undefined || oldSize > newSize) {
    throw new NexusError('INPUT_INVALID', 'both sizes must be signed checkpoints, old before new', { field: '/oldSize' });
  }
  return { v: 1, oldSize: String(oldSize), newSize: String(newSize), hashes: b64(ledger.tree.consistencyProof(oldSize, newSize)), oldCheckpoint: a.note, newCheckpoint: b.note };
}

/** Proof that the latest checkpoint commits `chain`'s head. */
export function headArtifact(ledger: Ledger, chain: string): HeadProof {
  const cp = latest(ledger);
  const index = cp.heads.findIndex((h) => h.chain === chain);
  const head = cp.heads[index];
  if (head === undefined) throw new NexusError('INPUT_INVALID', `chain ${chain} has no entries at the latest checkpoint`, { field: '/chain' });
  const leaves = cp.heads.map((h) => leafHash(headLeafData(h)));
  return { v: 1, chain, seq: head.seq, head: head.head, index: String(index), count: String(cp.heads.length), hashes: b64(inclusionProof(index, leaves)), checkpoint: cp.note };
}

/** One chain's entries from seq 0 to its committed head, with the head proof: complete, provably. */
export function sliceArtifact(ledger: Ledger, chain: string): LedgerSlice {
  const headProof = headArtifact(ledger, chain);
  const entries = ledger.store.chain(chain, 0, Number(headProof.seq)).map((e) => toBase64(e.bytes));
  return { v: 1, chain, entries, headProof };
}
