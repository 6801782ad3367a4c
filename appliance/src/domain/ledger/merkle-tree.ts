import { consistencyPath, emptyRoot, inclusionPath, nodeHash } from '@nexus-cos/sdk';

const H = 32;

/**
 * The ledger's RFC 6962 tree with every interior node of every perfect subtree kept in
 * memory (about 64 bytes per leaf), so roots at any past size and inclusion and
 * consistency proofs cost O(log n) hashes instead of rehashing the log. Rebuilt from the
 * stored leaf hashes at start-up.
 */
export class MerkleTree {
  // levels[l] holds the roots of the perfect subtrees of 2^l leaves, left to right.
  readonly #levels: Uint8Array[] = [new Uint8Array(H * 1024)];
  readonly #counts: number[] = [0];

  /** Number of leaves. */
  get size(): number {
    return this.#counts[0] as number;
  }

  /** Appends one 32-byte leaf hash, completing every perfect subtree it closes. */
  append(leaf: Uint8Array): void {
    let h = leaf;
    for (let level = 0; ; level++) {
      this.#push(level, h);
      const n = this.#counts[level] as number;
      if (n % 2 === 1) return;
      h = nodeHash(this.node(level, n - 2), this.node(level, n - 1));
    }
  }

  /** Root of the perfect subtree of 2^level leaves starting at leaf index × 2^level. */
  node(level: number, index: number): Uint8Array {
    const buf = this.#levels[level] as Uint8Array;
    return buf.subarray(index * H, index * H + H);
  }

  /**
   * MTH of leaves [lo, hi), where lo is aligned to the largest power of two not above
   * hi − lo, as every range in the RFC 9162 recursion is: the aligned perfect subtrees
   * from the left, folded right to left.
   */
  rangeRoot(lo: number, hi: number): Uint8Array {
    if (hi <= lo) return emptyRoot();
    const parts: Uint8Array[] = [];
    let p = lo;
    while (p < hi) {
      let level = 0;
      while (p % 2 ** (level + 1) === 0 && p + 2 ** (level + 1) <= hi) level++;
      parts.push(this.node(level, p / 2 ** level));
      p += 2 ** level;
    }
    let acc = parts[parts.length - 1] as Uint8Array;
    for (let i = parts.length - 2; i >= 0; i--) acc = nodeHash(parts[i] as Uint8Array, acc);
    return Uint8Array.from(acc);
  }

  /** Tree head at `size` (default: now). */
  root(size = this.size): Uint8Array {
    return this.rangeRoot(0, size);
  }

  /** Inclusion proof of leaf `index` in the tree at `size`. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    return inclusionPath(index, size, (lo, hi) => this.rangeRoot(lo, hi));
  }

  /**
   * Inclusion proofs of many leaves in the tree at one `size`, as an export writes one per
   * entry. A path's only subtrees that are not perfect end at `size` (each split keeps a
   * perfect left part), so there are at most log2(size) of them: each is folded once here,
   * not once per leaf. The hashes returned are shared between proofs: do not write to them.
   */
  prover(size = this.size): (index: number) => Uint8Array[] {
    const rightEdge = new Map<number, Uint8Array>();
    const range = (lo: number, hi: number): Uint8Array => {
      if (hi !== size) return this.#perfect(lo, hi) ?? this.rangeRoot(lo, hi);
      let root = rightEdge.get(lo);
      if (root === undefined) rightEdge.set(lo, (root = this.rangeRoot(lo, hi)));
      return root;
    };
    return (index) => inclusionPath(index, size, range);
  }

  /** The stored root of [lo, hi) when that is one aligned perfect subtree (a view, not a copy), else undefined. */
  #perfect(lo: number, hi: number): Uint8Array | undefined {
    const width = hi - lo;
    if (width <= 0 || width > 2 ** 30 || (width & (width - 1)) !== 0 || lo % width !== 0) return undefined;
    const level = 31 - Math.clz32(width);
    return this.node(level, lo / width);
  }

  /** Consistency proof from `oldSize` to `newSize`. */
  consistencyProof(oldSize: number, newSize = this.size): Uint8Array[] {
    return consistencyPath(oldSize, newSize, (lo, hi) => this.rangeRoot(lo, hi));
  }

  /** Leaf hash at `index`. */
  leaf(index: number): Uint8Array {
    return this.node(0, index);
  }

  #push(level: number, h: Uint8Array): void {
    if (this.#levels.length === level) {
      this.#levels.push(new Uint8Array(H * 512));
      this.#counts.push(0);
    }
    let buf = this.#levels[level] as Uint8Array;
    const n = this.#counts[level] as number;
    if ((n + 1) * H > buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
      this.#levels[level] = buf;
    }
    buf.set(h, n * H);
    this.#counts[level] = n + 1;
  }
}
