import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { concatBytes } from '../encoding/utf8.js';
import { nobleVerifyStrict, preVerify } from './ed25519.js';

// Fixed DER prefixes that wrap a raw Ed25519 key for OpenSSL (RFC 8410).
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** An OpenSSL private key object for a 32-byte RFC 8032 seed. */
export function nodePrivateKey(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' });
}

/** An OpenSSL public key object for 32 raw public key bytes. */
export function nodePublicKey(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' });
}

/** The raw 32-byte public key of an OpenSSL Ed25519 private key. */
export function nodeRawPublicKey(key: KeyObject): Uint8Array {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** RFC 8032 signature with OpenSSL. */
export function nodeSign(key: KeyObject, msg: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, msg, key));
}

/**
 * Strict verification on the OpenSSL path, with exactly the noble verdict.
 *
 * OpenSSL checks S < L and the cofactorless equation, comparing R byte for byte with a
 * canonical re-encoding. Given a strictly checked public key, an OpenSSL accept implies
 * the noble (cofactored, canonical) accept, so it is final. The two can differ only on
 * signatures whose R has a torsion component, which a real signer never produces; on an
 * OpenSSL reject we therefore ask noble, so both paths return identical results on every
 * input (the conformance vectors include such a signature).
 */
export function nodeVerifyStrict(key: KeyObject, publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (!preVerify(sig)) return false;
  if (verify(null, msg, key, sig)) return true;
  return nobleVerifyStrict(publicKey, msg, sig);
}
