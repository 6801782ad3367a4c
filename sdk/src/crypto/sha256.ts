import { hash } from 'node:crypto';

/**
 * SHA-256 of a byte string, by OpenSSL: `crypto.hash` is a one-shot call, 2-4x faster than
 * a JavaScript implementation on the small inputs Merkle trees hash millions of times.
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  const out = hash('sha256', bytes, 'buffer');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/*
 * `crypto.hash`'s 'buffer' output allocates an ArrayBuffer per call, which on a 65-byte tree
 * node costs about three times the hashing itself; a string output (copied into the pool
 * when bytes are needed) does not. Hence the two variants below for hot paths.
 */

/** SHA-256 as lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

/** SHA-256 as 32 bytes in Node's shared buffer pool: a view, whose `.buffer` holds other data. */
export function sha256Pooled(bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(hash('sha256', bytes, 'binary'), 'latin1');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
