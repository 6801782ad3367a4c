import { bytesEqual } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { assertHash, emptyRoot, nodeHash } from './hash.js';
import { consistencyProofLength } from './proof-length.js';
import { assertSize, half, isOdd, isPowerOfTwo } from './size.js';
import { assertProof } from './verify-inclusion.js';

/** What a consistency check needs: two tree heads and the proof between them. */
export interface ConsistencyInput {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

function invalid(message: string): Error {
  return fail('CONSISTENCY_PROOF_INVALID', message, '/proof');
}

/**
 * Verifies that the tree of `newSize` leaves extends the tree of `oldSize` leaves
 * (RFC 9162 §2.1.4.2). Trivial cases: equal sizes need an empty proof and equal roots;
 * oldSize 0 needs an empty proof and the empty-tree root. A shrinking tree, a wrong root
 * or a wrong hash throws CONSISTENCY_PROOF_INVALID; a proof of the wrong length or shape
 * throws MERKLE_PROOF_MALFORMED.
 */
export function verifyConsistency(input: ConsistencyInput): void {
  const { oldSize, newSize, oldRoot, newRoot, proof } = input;
  assertSize(oldSize, '/oldSize');
  assertSize(newSize, '/newSize');
  assertHash(oldRoot, 'MERKLE_PROOF_MALFORMED', '/oldRoot');
  assertHash(newRoot, 'MERKLE_PROOF_MALFORMED', '/newRoot');
  assertProof(proof);
  // A head that moves backwards is exactly the split view this check exists to catch.
  if (oldSize > newSize) throw invalid('new tree is smaller than the old tree');
  if (oldSize === 0 || oldSize === newSize) {
    if (proof.length !== 0) throw fail('MERKLE_PROOF_MALFORMED', 'this proof must be empty', '/proof');
    // Stricter than RFC 9162, which leaves oldRoot unchecked for size 0: a head of size
    // 0 whose root is not the empty-tree hash is a false statement, so refuse it.
    if (oldSize === 0 && !bytesEqual(oldRoot, emptyRoot())) throw invalid('a size-0 tree has the empty-tree root');
    if (oldSize === newSize && !bytesEqual(oldRoot, newRoot)) throw invalid('equal sizes with different roots');
    return;
  }
  if (proof.length !== consistencyProofLength(oldSize, newSize)) {
    throw fail('MERKLE_PROOF_MALFORMED', 'consistency proof has the wrong length for these sizes', '/proof');
  }
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (isOdd(fn) || fn === sn) {
      // c is a left sibling shared by both trees.
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      // c lies right of the old tree: only the new root covers it.
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (!bytesEqual(fr, oldRoot)) throw invalid('proof does not lead to the old root');
  if (!bytesEqual(sr, newRoot)) throw invalid('proof does not lead to the new root');
}
