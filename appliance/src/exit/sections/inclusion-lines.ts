import { inclusionPath } from '@nexus-cos/sdk';

// One line of ledger/inclusion.jsonl (spec/exit-bundle.md): the canonical JSON of
// { logIndex, hashes }, members sorted. Written by hand because an export writes one per
// entry, and canonicalBytes and a base64 string per hash cost more than the proof did;
// test/appliance/exit/inclusion-lines.test.ts holds these functions to canonicalBytes.

const HEAD = '{"hashes":[';
const TAIL = '],"logIndex":"';
/** Standard base64 of a 32-byte hash: 44 characters, two quotes, no escapes. */
const QUOTED_HASH = 46;
const ZERO = new Uint8Array(32);

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const QUOTE = 0x22;
const COMMA = 0x2c;
const BRACE = 0x7d;
const PAD = 0x3d;

/** Writes the standard base64 of a 32-byte hash at `at` (44 bytes); returns the next position. */
function writeHash(h: Uint8Array, out: Buffer, at: number): number {
  if (h.length !== 32) throw new Error(`a tree hash is 32 bytes, not ${h.length}`);
  let p = at;
  for (let i = 0; i < 30; i += 3) {
    const v = ((h[i] as number) << 16) | ((h[i + 1] as number) << 8) | (h[i + 2] as number);
    out[p++] = ALPHABET[v >> 18] as number;
    out[p++] = ALPHABET[(v >> 12) & 63] as number;
    out[p++] = ALPHABET[(v >> 6) & 63] as number;
    out[p++] = ALPHABET[v & 63] as number;
  }
  const v = ((h[30] as number) << 16) | ((h[31] as number) << 8);
  out[p++] = ALPHABET[v >> 18] as number;
  out[p++] = ALPHABET[(v >> 12) & 63] as number;
  out[p++] = ALPHABET[(v >> 6) & 63] as number;
  out[p++] = PAD;
  return p;
}

const lineLength = (hashes: number, digits: number): number => HEAD.length + hashes * QUOTED_HASH + Math.max(0, hashes - 1) + TAIL.length + digits + 2;

/** The line's bytes, without its newline: every proof hash is 32 bytes (a tree hash). */
export function inclusionLine(logIndex: number, hashes: readonly Uint8Array[]): Uint8Array {
  const digits = String(logIndex);
  const out = Buffer.allocUnsafe(lineLength(hashes.length, digits.length));
  let p = out.write(HEAD, 0, 'latin1');
  hashes.forEach((h, j) => {
    if (j > 0) out[p++] = COMMA;
    out[p++] = QUOTE;
    p = writeHash(h, out, p);
    out[p++] = QUOTE;
  });
  p += out.write(TAIL, p, 'latin1');
  p += out.write(digits, p, 'latin1');
  out[p++] = QUOTE;
  out[p] = BRACE;
  return out;
}

/** The line's length for leaf `logIndex` of a tree of `size` leaves, computed without hashing. */
export function inclusionLineSize(logIndex: number, size: number): number {
  // The walk decides how many hashes a path holds; a range root that hashes nothing keeps it free.
  return lineLength(inclusionPath(logIndex, size, () => ZERO).length, String(logIndex).length);
}
