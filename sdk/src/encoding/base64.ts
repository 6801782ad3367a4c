import { fail } from '../errors/index.js';

// Strict decoders: a string decodes only if re-encoding the bytes gives the same string
// back. That refuses whitespace, missing or extra padding, non-zero trailing bits and any
// character outside the alphabet (Buffer's decoder skips those or reads the other
// alphabet's, so the re-encoding differs), so every byte string has exactly one accepted
// text form (no signature malleability via encoding). No regex runs first: the round trip
// alone decides, and a verifier decodes a few hundred characters per ledger entry.

/** Standard base64 with padding (RFC 4648 §4), as DSSE uses in JSON. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes standard padded base64, refusing any non-canonical form. */
export function fromBase64(text: string, field = ''): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 !== 0) throw fail('ENCODING_INVALID', 'not canonical base64', field);
  const out = Buffer.from(text, 'base64');
  if (out.toString('base64') !== text) throw fail('ENCODING_INVALID', 'not canonical base64', field);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** base64url without padding (RFC 4648 §5), as used in did:key-adjacent and URL contexts. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Decodes unpadded base64url, refusing any non-canonical form. */
export function fromBase64Url(text: string, field = ''): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw fail('ENCODING_INVALID', 'not canonical base64url', field);
  }
  const out = Buffer.from(text, 'base64url');
  if (out.toString('base64url') !== text) throw fail('ENCODING_INVALID', 'not canonical base64url', field);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
