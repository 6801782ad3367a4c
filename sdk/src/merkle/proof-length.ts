import { half, isOdd, isPowerOfTwo } from './size.js';

// Both lengths come from running the control flow of the RFC 9162 verification loops
// without hashing: that flow depends only on the sizes, so a proof of any other length
// is malformed and is refused before a single hash is computed.

/** Steps of the RFC 9162 walk from node `fn` up to the last node `sn`: one hash each. */
function walkLength(fn: number, sn: number): number {
  let count = 0;
  while (sn !== 0) {
    if (fn === sn && !isOdd(fn)) {
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    count++;
    fn = half(fn);
    sn = half(sn);
  }
  return count;
}

/** Number of hashes in the inclusion proof of leaf `index` in a tree of `size` (index < size). */
export function inclusionProofLength(index: number, size: number): number {
  return walkLength(index, size - 1);
}

/** Number of hashes in the consistency proof from `oldSize` to `newSize` (0 < oldSize < newSize). */
export function consistencyProofLength(oldSize: number, newSize: number): number {
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const count = walkLength(fn, sn);
  // A power-of-two old tree is itself a node of the new one, so the verifier seeds the
  // walk with the old root and the proof omits it (RFC 9162 §2.1.4.2 step 2).
  return isPowerOfTwo(oldSize) ? count : count + 1;
}
