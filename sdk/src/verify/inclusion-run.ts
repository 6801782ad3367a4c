import { bytesEqual } from '../encoding/utf8.js';
import { HASH_SIZE, nodeHash } from '../merkle/hash.js';
import { inclusionProofLength } from '../merkle/proof-length.js';
import { half, isOdd } from '../merkle/size.js';
import { checkInclusionLine } from './inclusion-line.js';
import { decodeHash, layoutOf, type LineLayout } from './inclusion-line-bytes.js';

/** A proof that reached the root: its line and leaf, its first sibling, and per step the level reached and the node computed. */
interface Walk {
  readonly line: LineLayout;
  readonly leaf: Uint8Array;
  readonly sibling: Uint8Array | undefined;
  readonly levels: number[];
  readonly nodes: Uint8Array[];
}

/**
 * Checks a run of inclusion-proof lines against one tree (size, root) with exactly the verdict
 * of checkInclusionLine on each line, but without recomputing the nodes consecutive leaves
 * share. Proofs of neighbouring leaves climb through the same nodes: once a walk reaches, at
 * the same level and position, a node the last verified walk computed, with the same hash, and
 * the line gives the same bytes for every remaining sibling, the rest of the computation is
 * the one that already ended at the root, so only byte comparisons are left. That cuts about
 * 17 SHA-256 and base64 decodes per line (in a 10^5-leaf tree) to about two.
 *
 * The fast walk reads lines in the builder's canonical form where they lie
 * (inclusion-line-bytes.ts) and only ever ACCEPTS; anything unusual (another form, a wrong
 * length, a bad encoding, a root mismatch) hands the line to checkInclusionLine, which
 * reaches the verdict and the coded error it always did. Every sibling it accepts was either
 * decoded as canonical base64 or is byte for byte one an earlier accepted walk decoded.
 */
export class InclusionRun {
  readonly #size: number;
  readonly #root: Uint8Array;
  readonly #usable: boolean;
  #last: Walk | undefined;
  /** Step of #last at each level, -1 where it computed none. */
  #stepAt: number[] = [];

  readonly #inPlace: boolean;

  /**
   * `inPlace`: the caller vouches that every line and leaf it hands in stays unchanged while
   * this run is in use (views of a complete file, or of shared memory already written), so
   * the run keeps the last verified line by reference. Without it each is copied (about
   * 1.5 µs per line of a 10^6-leaf tree), so a caller may reuse one buffer for every line.
   */
  constructor(size: number, root: Uint8Array, opts: { readonly inPlace?: boolean } = {}) {
    this.#size = size;
    this.#root = root;
    this.#inPlace = opts.inPlace === true;
    // Anything the slow path would refuse for every line is left to it.
    this.#usable = Number.isSafeInteger(size) && size > 0 && root instanceof Uint8Array && root.length === HASH_SIZE;
  }

  /** Line `i` proves `leaf`; throws what checkInclusionLine throws. */
  check(line: Uint8Array, i: number, leaf: Uint8Array): void {
    if (!this.#usable || !this.#fast(line, leaf)) checkInclusionLine(line, i, leaf, this.#size, this.#root);
  }

  #fast(bytes: Uint8Array, leaf: Uint8Array): boolean {
    const line = layoutOf(bytes);
    if (line === undefined || !(leaf instanceof Uint8Array)) return false;
    const { index, starts } = line;
    if (index >= this.#size || leaf.length !== HASH_SIZE || starts.length !== inclusionProofLength(index, this.#size)) return false;
    const levels: number[] = [];
    const nodes: Uint8Array[] = [];
    let fn = index;
    let sn = this.#size - 1;
    let level = 0;
    let r = leaf;
    let sibling: Uint8Array | undefined;
    for (let k = 0; k < starts.length; k++) {
      const b = decodeHash(line.bytes, starts[k] as number);
      if (b === undefined) return false;
      if (k === 0) sibling = b;
      // The walk of rootFromInclusionProof (RFC 9162 §2.1.3.2), counting levels climbed.
      if (isOdd(fn) || fn === sn) {
        r = k === 0 && this.#pairOf(index, b, leaf) ? (this.#last?.nodes[0] as Uint8Array) : nodeHash(b, r);
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
          level++;
        }
      } else {
        r = nodeHash(r, b);
      }
      fn = half(fn);
      sn = half(sn);
      level++;
      levels.push(level);
      nodes.push(r);
      if (this.#joins({ line, leaf, sibling, levels, nodes }, level, r, k)) return true;
    }
    if (!bytesEqual(r, this.#root)) return false;
    this.#remember({ line, leaf, sibling, levels, nodes });
    return true;
  }

  /**
   * True when odd leaf `index` and the last verified leaf, index − 1, name each other as
   * first sibling: then their parent is the node that walk computed first, with no hashing
   * (half the leaves of a run are odd, and their pair is the node most often recomputed).
   */
  #pairOf(index: number, sibling: Uint8Array, leaf: Uint8Array): boolean {
    const last = this.#last;
    return last !== undefined && last.line.index === index - 1 && isOdd(index) && last.sibling !== undefined && bytesEqual(sibling, last.leaf) && bytesEqual(last.sibling, leaf);
  }

  /** True when step k of this walk meets the last verified walk and the rest of the line matches it. */
  #joins(walk: Walk, level: number, r: Uint8Array, k: number): boolean {
    const { line, levels, nodes } = walk;
    const last = this.#last;
    const m = this.#stepAt[level] ?? -1;
    if (last === undefined || m < 0) return false;
    const scale = 2 ** level;
    if (Math.floor(last.line.index / scale) !== Math.floor(line.index / scale) || !bytesEqual(last.nodes[m] as Uint8Array, r)) return false;
    const rest = line.starts.length - k - 1;
    if (last.line.starts.length - m - 1 !== rest) return false;
    // The siblings above, with the quotes and commas between them, are one run of bytes in
    // each line: equal runs are the same hashes, in the same order.
    if (rest > 0) {
      const from = (line.starts[k + 1] as number) - 1;
      const lastFrom = (last.line.starts[m + 1] as number) - 1;
      if (line.bytes.compare(last.line.bytes, lastFrom, last.line.listEnd, from, line.listEnd) !== 0) return false;
    }
    // Same node, same siblings above it: the walk ends where the last one did, at the root.
    for (let j = m + 1; j < last.levels.length; j++) {
      levels.push(last.levels[j] as number);
      nodes.push(last.nodes[j] as Uint8Array);
    }
    this.#remember(walk);
    return true;
  }

  #remember(w: Walk): void {
    // Later lines are compared with these bytes: unless the caller vouched for them, copies,
    // since a caller that reused its buffers would have the next line compared with itself.
    this.#last = this.#inPlace ? w : { ...w, line: { ...w.line, bytes: Buffer.from(w.line.bytes) }, leaf: Uint8Array.from(w.leaf) };
    this.#stepAt = [];
    w.levels.forEach((l, s) => {
      this.#stepAt[l] = s;
    });
  }
}
