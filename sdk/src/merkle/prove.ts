import { fail } from '../errors/index.js';
import { rootOfRange } from './accumulator.js';
import { assertSize, splitPoint } from './size.js';

/**
 * Checks the sizes a prover is asked for and returns the leaf array. Leaf hashes are
 * trusted here (the prover owns them); `size` lets a ledger prove against an older head.
 */
function checkRange(leafHashes: readonly Uint8Array[], size: number): void {
  if (!Array.isArray(leafHashes)) throw fail('INPUT_INVALID', 'leaf hashes must be an array', '/leafHashes');
  assertSize(size, '/size');
  if (size > leafHashes.length) throw fail('MERKLE_INDEX_OUT_OF_RANGE', 'tree size exceeds the leaves held', '/size');
}

/**
 * RFC 9162 §2.1.3.1 PATH(index, D[0:size]): the audit path of one leaf, ordered from the
 * leaf's sibling up to the root's child. Iterative; total hashing is O(size).
 */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[], size: number = leafHashes.length): Uint8Array[] {
  checkRange(leafHashes, size);
  return inclusionPath(index, size, (lo, hi) => rootOfRange(leafHashes, lo, hi));
}

/**
 * MTH of the leaves [lo, hi). A prover that caches interior nodes (a ledger of millions
 * of entries) answers in O(log n) instead of rehashing the range.
 */
export type RangeRoot = (lo: number, hi: number) => Uint8Array;

/** PATH(index, D[0:size]) over any source of subtree roots; see inclusionProof. */
export function inclusionPath(index: number, size: number, rangeRoot: RangeRoot): Uint8Array[] {
  assertSize(size, '/size');
  assertSize(index, '/index');
  if (index >= size) throw fail('MERKLE_INDEX_OUT_OF_RANGE', 'leaf index is not below the tree size', '/index');
  // Walk down from the root; each level contributes the sibling subtree's hash, which
  // the recursive definition appends after the deeper part, hence the final reverse.
  const path: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  let m = index;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      path.push(rangeRoot(lo + k, hi));
      hi = lo + k;
    } else {
      path.push(rangeRoot(lo, lo + k));
      lo += k;
      m -= k;
    }
  }
  return path.reverse();
}

/**
 * RFC 9162 §2.1.4.1 PROOF(oldSize, D[0:newSize]) = SUBPROOF(oldSize, D[0:newSize], true).
 * Empty when oldSize is 0 or equal to newSize, as the RFC defines.
 */
export function consistencyProof(oldSize: number, newSize: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  checkRange(leafHashes, newSize);
  return consistencyPath(oldSize, newSize, (lo, hi) => rootOfRange(leafHashes, lo, hi));
}

/** PROOF(oldSize, D[0:newSize]) over any source of subtree roots; see consistencyProof. */
export function consistencyPath(oldSize: number, newSize: number, rangeRoot: RangeRoot): Uint8Array[] {
  assertSize(newSize, '/size');
  assertSize(oldSize, '/oldSize');
  if (oldSize > newSize) throw fail('MERKLE_INDEX_OUT_OF_RANGE', 'old size exceeds new size', '/oldSize');
  if (oldSize === 0 || oldSize === newSize) return [];
  const out: Uint8Array[] = [];
  let lo = 0;
  let hi = newSize;
  let m = oldSize;
  let isWholeOldTree = true; // SUBPROOF's flag b: still on the path of the old tree's own root
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      out.push(rangeRoot(lo + k, hi));
      hi = lo + k;
    } else {
      out.push(rangeRoot(lo, lo + k));
      lo += k;
      m -= k;
      isWholeOldTree = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b true the verifier already knows it.
  if (!isWholeOldTree) out.push(rangeRoot(lo, hi));
  return out.reverse();
}
