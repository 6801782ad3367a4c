import { fromBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { verifyConsistency } from '../merkle/verify-consistency.js';
import { verifyInclusion } from '../merkle/verify-inclusion.js';
import { openCheckpoint, type Checkpoint } from '../note/checkpoint.js';
import { assertConsistencyProofV1, assertInclusionProofV1 } from '../schemas/merkle.js';
import type { LoadedTrustedRoot } from './trusted-root.js';

/** A decimal string as a safe integer; sizes past 2^53 cannot be proved here. */
function toSafeSize(text: string, field: string): number {
  const n = BigInt(text);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw fail('MERKLE_PROOF_MALFORMED', 'size beyond 2^53 - 1', field);
  return Number(n);
}

function sameSize(cp: Checkpoint, size: number, field: string): void {
  if (cp.size !== BigInt(size)) throw fail('CHECKPOINT_MALFORMED', 'proof size differs from its checkpoint', field);
}

/** What a verified inclusion proof establishes. */
export interface VerifiedInclusion {
  readonly logIndex: number;
  readonly treeSize: number;
  readonly leafHash: Uint8Array;
  readonly checkpoint: Checkpoint;
}

/**
 * Verifies an inclusion proof artifact: the signed checkpoint first, then the proof
 * against the checkpoint's root. `leafHash`, when given, must equal the proof's leaf
 * (so a caller can bind the proof to the entry it holds).
 */
export function verifyInclusionProof(value: unknown, root: LoadedTrustedRoot, leafHash?: Uint8Array): VerifiedInclusion {
  assertInclusionProofV1(value);
  const { checkpoint } = openCheckpoint(value.checkpoint, { origin: root.origin, trusted: root.noteKeys });
  const treeSize = toSafeSize(value.treeSize, '/treeSize');
  const logIndex = toSafeSize(value.logIndex, '/logIndex');
  sameSize(checkpoint, treeSize, '/treeSize');
  const leaf = fromBase64(value.leafHash, '/leafHash');
  if (leafHash !== undefined && !bytesEqual(leaf, leafHash)) throw fail('MERKLE_PROOF_INVALID', 'proof is for another leaf', '/leafHash');
  const proof = value.hashes.map((h, i) => fromBase64(h, `/hashes/${i}`));
  verifyInclusion({ index: logIndex, size: treeSize, leafHash: leaf, proof, root: checkpoint.root });
  return { logIndex, treeSize, leafHash: leaf, checkpoint };
}

/** What a verified consistency proof establishes. */
export interface VerifiedConsistency {
  readonly oldCheckpoint: Checkpoint;
  readonly newCheckpoint: Checkpoint;
}

/** Verifies both signed checkpoints, then that the old tree is a prefix of the new one. */
export function verifyConsistencyProof(value: unknown, root: LoadedTrustedRoot): VerifiedConsistency {
  assertConsistencyProofV1(value);
  const trust = { origin: root.origin, trusted: root.noteKeys };
  const oldCheckpoint = openCheckpoint(value.oldCheckpoint, trust).checkpoint;
  const newCheckpoint = openCheckpoint(value.newCheckpoint, trust).checkpoint;
  const oldSize = toSafeSize(value.oldSize, '/oldSize');
  const newSize = toSafeSize(value.newSize, '/newSize');
  sameSize(oldCheckpoint, oldSize, '/oldSize');
  sameSize(newCheckpoint, newSize, '/newSize');
  const proof = value.hashes.map((h, i) => fromBase64(h, `/hashes/${i}`));
  verifyConsistency({ oldSize, newSize, oldRoot: oldCheckpoint.root, newRoot: newCheckpoint.root, proof });
  return { oldCheckpoint, newCheckpoint };
}
