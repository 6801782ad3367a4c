import { hash } from 'node:crypto';

/**
 * SHA-256 of a byte string, by OpenSSL: `crypto.hash` is a one-shot call, 2-4x faster than
 * a JavaScript implementation on the small inputs Merkle trees hash millions of times.
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  const out = hash('sha256', bytes, 'buffer');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
