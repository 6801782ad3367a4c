// A reader for inclusion-proof lines in exactly the form the builder writes, canonical JSON
// `{"hashes":["<44 base64>",…],"logIndex":"<n>"}`, working on the bytes where they lie.
// InclusionRun's fast path uses it in place of JSON.parse and a string per hash (a third of
// its cost); a line in any other form goes to the one-line check, which reaches the verdict.
// It never checks a hash's characters: whoever uses a hash decodes it with decodeHash, which
// refuses anything but canonical base64, or compares its bytes with a hash already decoded.

import { base64DecodedLength, decodeBase64Into } from '../encoding/base64-bytes.js';

const HEAD = Buffer.from('{"hashes":[', 'latin1');
const TAIL = Buffer.from('],"logIndex":"', 'latin1');
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE = 0x5d;
const BRACE = 0x7d;
const ZERO = 0x30;
/** A quoted 32-byte hash in standard base64: quote, 44 characters, quote. */
const QUOTED = 46;
/** logIndex's grammar, as the one-line check has it: 0, or up to 16 digits without a leading zero. */
const MAX_DIGITS = 16;

/** Where a line's parts are: each hash's first character, the `]` ending the list, and the index. */
export interface LineLayout {
  readonly bytes: Buffer;
  readonly starts: readonly number[];
  readonly listEnd: number;
  readonly index: number;
}

const startsWith = (b: Buffer, at: number, lit: Buffer): boolean => b.length >= at + lit.length && b.compare(lit, 0, lit.length, at, at + lit.length) === 0;

/** The layout of `line` if it has exactly the canonical form, else undefined. */
export function layoutOf(line: Uint8Array): LineLayout | undefined {
  const b = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  if (!startsWith(b, 0, HEAD)) return undefined;
  const starts: number[] = [];
  let p = HEAD.length;
  if (b[p] !== CLOSE) {
    for (;;) {
      if (b[p] !== QUOTE || b[p + QUOTED - 1] !== QUOTE) return undefined;
      starts.push(p + 1);
      p += QUOTED;
      if (b[p] !== COMMA) break;
      p++;
    }
  }
  const listEnd = p;
  if (!startsWith(b, p, TAIL)) return undefined;
  p += TAIL.length;
  const end = b.length - 2;
  const digits = end - p;
  if (digits < 1 || digits > MAX_DIGITS || b[end] !== QUOTE || b[end + 1] !== BRACE || (b[p] === ZERO && digits > 1)) return undefined;
  let index = 0;
  for (let i = p; i < end; i++) {
    const d = (b[i] as number) - ZERO;
    if (d < 0 || d > 9) return undefined;
    index = index * 10 + d;
  }
  return { bytes: b, starts, listEnd, index };
}

/**
 * The 32 bytes of the hash whose 44 characters start at `at`, or undefined unless they are
 * canonical standard base64 (what fromBase64 accepts) of exactly 32 bytes.
 */
export function decodeHash(b: Uint8Array, at: number): Uint8Array | undefined {
  if (base64DecodedLength(b, at, at + 44) !== 32) return undefined;
  const out = new Uint8Array(32);
  return decodeBase64Into(b, at, at + 44, out, 0) ? out : undefined;
}
