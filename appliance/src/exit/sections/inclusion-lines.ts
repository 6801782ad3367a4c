import { inclusionPath } from '@nexus-cos/sdk';

// One line of ledger/inclusion.jsonl (spec/exit-bundle.md): the canonical JSON of
// { logIndex, hashes }, members sorted. Written by hand because an export writes one per
// entry, twice over (size, then content), and canonicalBytes on a fresh object per line
// cost more than the proof; test/appliance/exit/inclusion-lines.test.ts holds these
// functions to canonicalBytes.

const HEAD = '{"hashes":[';
const TAIL = '],"logIndex":"';
/** Standard base64 of a 32-byte hash: 44 characters, two quotes, no escapes. */
const QUOTED_HASH = 46;
const ZERO = new Uint8Array(32);

/** The line's bytes, without its newline. */
export function inclusionLine(logIndex: number, hashes: readonly Uint8Array[]): Uint8Array {
  const quoted = hashes.map((h) => `"${Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('base64')}"`);
  return Buffer.from(`${HEAD}${quoted.join(',')}${TAIL}${logIndex}"}`, 'latin1');
}

/** The line's length for leaf `logIndex` of a tree of `size` leaves, computed without hashing. */
export function inclusionLineSize(logIndex: number, size: number): number {
  // The walk decides how many hashes a path holds; a range root that hashes nothing keeps it free.
  const n = inclusionPath(logIndex, size, () => ZERO).length;
  return HEAD.length + n * QUOTED_HASH + Math.max(0, n - 1) + TAIL.length + String(logIndex).length + 2;
}
