import { sha256, sha256Hex, sha256Pooled } from '../crypto/sha256.js';
import { fail } from '../errors/index.js';

/** Length in bytes of every tree hash (SHA-256). */
export const HASH_SIZE = 32;

// Domain-separation prefixes of RFC 9162 §2.1.1: a leaf can never be read as an interior
// node, which is what stops second-preimage attacks on the tree.
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// A reused scratch buffer for leaves too (a verifier hashes one per ledger entry), hashed
// through a view, so a leaf costs one copy and no allocation. A rare leaf longer than it gets
// a buffer of its own, so one large input is not kept alive by the module.
const LEAF_SCRATCH = 64 * 1024;
const leafBuf = new Uint8Array(LEAF_SCRATCH);

/** 0x00 || data, in the scratch buffer when it fits. */
function leafInput(data: Uint8Array): Uint8Array {
  const buf = 1 + data.length <= LEAF_SCRATCH ? leafBuf.subarray(0, 1 + data.length) : new Uint8Array(1 + data.length);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return buf;
}

/** MTH of one entry: SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(leafInput(data));
}

/** leafHash as lower-case hex, without the bytes in between (a verifier makes one per entry). */
export function leafHashHex(data: Uint8Array): string {
  return sha256Hex(leafInput(data));
}

// One scratch buffer for all interior hashes: a million-leaf root makes a million of
// them, and not allocating per call roughly halves the time. Single-threaded, never re-entrant.
const nodeBuf = new Uint8Array(1 + 2 * HASH_SIZE);
nodeBuf[0] = NODE_PREFIX;

/** Interior node: SHA-256(0x01 || left || right). Both children must be 32-byte hashes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw fail('MERKLE_PROOF_MALFORMED', 'a tree hash is 32 bytes');
  }
  nodeBuf.set(left, 1);
  nodeBuf.set(right, 1 + HASH_SIZE);
  return sha256Pooled(nodeBuf);
}

/** MTH of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** Throws `code` unless `h` is a 32-byte hash; used on every hash a caller hands in. */
export function assertHash(h: unknown, code: 'MERKLE_PROOF_MALFORMED' | 'INPUT_INVALID', field: string): asserts h is Uint8Array {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw fail(code, 'a tree hash is 32 bytes', field);
}
