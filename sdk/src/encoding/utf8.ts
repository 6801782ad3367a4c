import { fail } from '../errors/index.js';

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error, never silently replaced with U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8 strictly. */
export function fromUtf8(bytes: Uint8Array, field = ''): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw fail('ENCODING_INVALID', 'not valid UTF-8', field, cause);
  }
}

/** Constant-shape byte equality (not secret-safe; used for public values only). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
