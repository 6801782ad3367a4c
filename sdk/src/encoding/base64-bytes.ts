// Strict standard base64 (RFC 4648 §4, padded) decoded from bytes where they lie, for the
// verifier's hot paths: a ledger entry's payload and signature, an inclusion line's hashes.
// It accepts exactly what fromBase64 accepts (the one text Buffer re-encodes the bytes to):
// the alphabet only, length a multiple of four, `=` only as one or two final characters,
// and zero bits where the last character carries more than the data. No string is made.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d;

/** How many bytes the text b[start, end) decodes to, or -1 if its length or padding is wrong. */
export function base64DecodedLength(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  // Past the end, a read gives undefined, which the decoder's `|` would take for `A`.
  if (n < 0 || n % 4 !== 0 || start < 0 || end > b.length) return -1;
  if (n === 0) return 0;
  const pad = b[end - 1] !== PAD ? 0 : b[end - 2] !== PAD ? 1 : 2;
  return (n / 4) * 3 - pad;
}

/**
 * Decodes the canonical base64 text b[start, end) into out[at..], returning false (with out
 * partly written) unless it is canonical. The caller sizes out by base64DecodedLength.
 */
export function decodeBase64Into(b: Uint8Array, start: number, end: number, out: Uint8Array, at: number): boolean {
  const len = base64DecodedLength(b, start, end);
  if (len <= 0) return len === 0;
  const full = len - (len % 3);
  let o = at;
  let i = start;
  for (; o < at + full; i += 4) {
    const v0 = VALUE[b[i] as number] as number;
    const v1 = VALUE[b[i + 1] as number] as number;
    const v2 = VALUE[b[i + 2] as number] as number;
    const v3 = VALUE[b[i + 3] as number] as number;
    if ((v0 | v1 | v2 | v3) < 0) return false;
    const v = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  const rest = len % 3;
  if (rest === 0) return true;
  // The final quantum: `xx==` carries one byte (its second character's low 4 bits must be
  // zero), `xxx=` two bytes (its third character's low 2 bits).
  const v0 = VALUE[b[i] as number] as number;
  const v1 = VALUE[b[i + 1] as number] as number;
  if ((v0 | v1) < 0) return false;
  if (rest === 1) {
    if ((v1 & 15) !== 0) return false;
    out[o] = (v0 << 2) | (v1 >> 4);
    return true;
  }
  const v2 = VALUE[b[i + 2] as number] as number;
  if (v2 < 0 || (v2 & 3) !== 0) return false;
  const v = (v0 << 18) | (v1 << 12) | (v2 << 6);
  out[o] = v >> 16;
  out[o + 1] = (v >> 8) & 0xff;
  return true;
}
