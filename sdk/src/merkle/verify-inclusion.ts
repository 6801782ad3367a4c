import { bytesEqual } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { assertHash, nodeHash } from './hash.js';
import { inclusionProofLength } from './proof-length.js';
import { assertSize, half, isOdd } from './size.js';

/** What an inclusion check needs: the leaf's position, the tree size and hashes. */
export interface InclusionInput {
  readonly index: number;
  readonly size: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/** Throws MERKLE_PROOF_MALFORMED unless `proof` is an array of 32-byte hashes. */
export function assertProof(proof: unknown): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw fail('MERKLE_PROOF_MALFORMED', 'a proof is an array of hashes', '/proof');
  proof.forEach((p, i) => assertHash(p, 'MERKLE_PROOF_MALFORMED', `/proof/${i}`));
}

/**
 * The root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1–4). Refuses an index
 * outside the tree (MERKLE_INDEX_OUT_OF_RANGE) and a proof of the wrong shape or length
 * (MERKLE_PROOF_MALFORMED); the caller compares the result with a trusted root.
 */
export function rootFromInclusionProof(index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  assertSize(index, '/index');
  assertSize(size, '/size');
  if (index >= size) throw fail('MERKLE_INDEX_OUT_OF_RANGE', 'leaf index is not below the tree size', '/index');
  assertHash(leafHash, 'MERKLE_PROOF_MALFORMED', '/leafHash');
  assertProof(proof);
  if (proof.length !== inclusionProofLength(index, size)) {
    throw fail('MERKLE_PROOF_MALFORMED', 'inclusion proof has the wrong length for this index and size', '/proof');
  }
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (isOdd(fn) || fn === sn) {
      // p is a left sibling. When fn == sn is even we are the rightmost, incomplete
      // subtree: climb past the levels where this node has no sibling at all.
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return r;
}

/** Verifies an RFC 9162 §2.1.3.2 inclusion proof; throws MERKLE_PROOF_INVALID on a mismatch. */
export function verifyInclusion(input: InclusionInput): void {
  // Same check order as spec/merkle.md §3.2, so every implementation reports the same code.
  assertSize(input.index, '/index');
  assertSize(input.size, '/size');
  if (input.index >= input.size) throw fail('MERKLE_INDEX_OUT_OF_RANGE', 'leaf index is not below the tree size', '/index');
  assertHash(input.root, 'MERKLE_PROOF_MALFORMED', '/root');
  const computed = rootFromInclusionProof(input.index, input.size, input.leafHash, input.proof);
  if (!bytesEqual(computed, input.root)) throw fail('MERKLE_PROOF_INVALID', 'inclusion proof does not lead to the root', '/proof');
}
