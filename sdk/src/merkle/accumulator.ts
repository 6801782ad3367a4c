import { fail } from '../errors/index.js';
import { assertHash, emptyRoot, nodeHash } from './hash.js';
import { assertSize, half, isOdd } from './size.js';

// RFC 9162 splits at the largest power of two, so the perfect-subtree roots of a
// compact range combine right to left into the tree head. `peaks` is non-empty.
function foldPeaks(peaks: readonly Uint8Array[]): Uint8Array {
  let acc = peaks[peaks.length - 1] as Uint8Array;
  for (let i = peaks.length - 2; i >= 0; i--) acc = nodeHash(peaks[i] as Uint8Array, acc);
  return acc;
}

/**
 * Incremental RFC 6962 tree head: append leaf hashes one by one and read the root at
 * any size. It keeps only the roots of the maximal perfect subtrees (one per set bit
 * of the size, a "compact range"), so memory is O(log n) whatever the log's length.
 */
export class MerkleAccumulator {
  // peaks[0] is the leftmost (largest) perfect subtree; sizes strictly decrease.
  readonly #peaks: Uint8Array[] = [];
  #size = 0;

  /**
   * Rebuilds an accumulator from a saved `size` and its `peaks()`, so a restarted
   * ledger resumes without rereading its leaves. The peak count must match the size.
   */
  static restore(size: number, peaks: readonly Uint8Array[]): MerkleAccumulator {
    assertSize(size, '/size');
    let expected = 0;
    for (let n = size; n > 0; n = half(n)) if (isOdd(n)) expected++;
    if (!Array.isArray(peaks) || peaks.length !== expected) {
      throw fail('INPUT_INVALID', 'one peak per set bit of the size', '/peaks');
    }
    const acc = new MerkleAccumulator();
    peaks.forEach((p, i) => {
      assertHash(p, 'INPUT_INVALID', `/peaks/${i}`);
      acc.#peaks.push(Uint8Array.from(p));
    });
    acc.#size = size;
    return acc;
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash (32 bytes; the caller applies `leafHash` to entry data). */
  append(hash: Uint8Array): void {
    assertHash(hash, 'INPUT_INVALID', '/leafHash');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw fail('INPUT_INVALID', 'tree size limit reached', '/size');
    let merged: Uint8Array = Uint8Array.from(hash);
    // Each trailing 1 bit of the old size is a perfect subtree of the same height as
    // the one just completed; merge them, exactly as a binary counter carries.
    for (let n = this.#size; isOdd(n); n = half(n)) {
      merged = nodeHash(this.#peaks.pop() as Uint8Array, merged);
    }
    this.#peaks.push(merged);
    this.#size += 1;
  }

  /** MTH of the leaves appended so far (the empty-tree hash when there are none). */
  root(): Uint8Array {
    return this.#peaks.length === 0 ? emptyRoot() : Uint8Array.from(foldPeaks(this.#peaks));
  }

  /** The perfect-subtree roots, left to right; a checkpointable compact form of the state. */
  peaks(): Uint8Array[] {
    return this.#peaks.map((p) => Uint8Array.from(p));
  }
}

/**
 * MTH(D[start:end]) over leaf hashes in one streaming pass: the same compact-range
 * stack as the accumulator, O(log n) memory, no array copies and no per-leaf copy
 * (the input is only read, synchronously). n - 1 node hashes, the minimum possible.
 */
export function rootOfRange(hashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
  if (end <= start) return emptyRoot();
  const stack: Uint8Array[] = [];
  for (let i = start; i < end; i++) {
    const h = hashes[i];
    assertHash(h, 'INPUT_INVALID', `/leafHashes/${i}`);
    let merged = h;
    for (let n = i - start; isOdd(n); n = half(n)) merged = nodeHash(stack.pop() as Uint8Array, merged);
    stack.push(merged);
  }
  const acc = foldPeaks(stack);
  // A one-leaf tree's root is that leaf hash: hand back a copy, never the caller's array.
  return acc === hashes[start] ? Uint8Array.from(acc) : acc;
}

/** MTH (RFC 9162 §2.1.1) of a whole list of 32-byte leaf hashes. */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(hashes)) throw fail('INPUT_INVALID', 'leaf hashes must be an array', '/leafHashes');
  return rootOfRange(hashes, 0, hashes.length);
}
