import { fromBase64 } from '../encoding/base64.js';
import { fail } from '../errors/index.js';
import { openEntry, type OpenedEntry } from '../ledger/entry.js';
import { headLeafData, parseHeadsExtension } from '../ledger/heads.js';
import { leafHash } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/verify-inclusion.js';
import { openCheckpoint, type Checkpoint } from '../note/checkpoint.js';
import { assertHeadProofV1, assertLedgerSliceV1 } from '../schemas/merkle.js';
import { SliceLinker, assertSliceLength } from './slice-linker.js';
import type { LoadedTrustedRoot } from './trusted-root.js';

/** What a verified head proof establishes: this checkpoint commits this chain head. */
export interface VerifiedHead {
  readonly chain: string;
  readonly seq: bigint;
  readonly head: string;
  readonly checkpoint: Checkpoint;
  /** did:key ids of the trusted keys that signed the checkpoint. */
  readonly signedBy: readonly string[];
}

const safe = (text: string, field: string): number => {
  const n = BigInt(text);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw fail('MERKLE_PROOF_MALFORMED', 'beyond 2^53 - 1', field);
  return Number(n);
};

/** Verifies a head proof: the signed checkpoint first, then the head's path to its heads root. */
export function verifyHeadProof(value: unknown, root: LoadedTrustedRoot): VerifiedHead {
  assertHeadProofV1(value);
  const { checkpoint, verifiedKeys } = openCheckpoint(value.checkpoint, { origin: root.origin, trusted: root.noteKeys });
  const heads = parseHeadsExtension(checkpoint.extensions);
  const count = safe(value.count, '/count');
  if (count !== heads.count) throw fail('CHECKPOINT_MALFORMED', 'head count differs from the checkpoint', '/count');
  const leaf = leafHash(headLeafData({ chain: value.chain, seq: value.seq, head: value.head }));
  const proof = value.hashes.map((h, i) => fromBase64(h, `/hashes/${i}`));
  verifyInclusion({ index: safe(value.index, '/index'), size: count, leafHash: leaf, proof, root: heads.root });
  return { chain: value.chain, seq: BigInt(value.seq), head: value.head, checkpoint, signedBy: verifiedKeys };
}

/** A complete, verified slice: every entry of one chain from seq 0 to the committed head. */
export interface VerifiedSlice {
  readonly head: VerifiedHead;
  readonly entries: readonly OpenedEntry[];
}

/**
 * Proves a chain slice complete. Each entry must be signed by a trusted key and carry
 * seq = its position and prev = the previous entry's hash; the last must be exactly the
 * head the signed checkpoint commits. Nothing can be left out, added or reordered without
 * breaking a link or the committed head.
 */
export function verifySlice(entries: readonly Uint8Array[], headProof: unknown, root: LoadedTrustedRoot): VerifiedSlice {
  const head = verifyHeadProof(headProof, root);
  assertSliceLength(head, entries.length);
  const linker = new SliceLinker(head);
  const opened = entries.map((bytes, i) => linker.add(openEntry(bytes, root.keys, `/entries/${i}`)));
  linker.finish();
  return { head, entries: opened };
}

/** Verifies a LedgerSlice artifact (spec/ledger.md): decodes its entries, then verifySlice. */
export function verifyLedgerSlice(value: unknown, root: LoadedTrustedRoot): VerifiedSlice {
  assertLedgerSliceV1(value);
  const verified = verifySlice(value.entries.map((e, i) => fromBase64(e, `/entries/${i}`)), value.headProof, root);
  if (verified.head.chain !== value.chain) throw fail('SLICE_INCOMPLETE', 'head proof is for another chain', '/chain');
  return verified;
}
