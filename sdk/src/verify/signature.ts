import { fail } from '../errors/index.js';
import { nobleVerifyStrict } from '../crypto/ed25519.js';
import { nodeVerifyStrict } from '../crypto/node-ed25519.js';
import type { PublicKey } from '../identity/public-key.js';
import type { CryptoBackend } from '../sign/signer.js';

/**
 * Strict Ed25519 verification (spec/signing.md): RFC 8032 with canonical S, canonical
 * point encodings, no small-order key or R, and a prime-order key. Returns a boolean;
 * the callers decide which coded error a false becomes.
 */
export function verifySignature(
  key: PublicKey,
  message: Uint8Array,
  signature: Uint8Array,
  backend: CryptoBackend = 'node',
): boolean {
  return backend === 'node'
    ? nodeVerifyStrict(key.nodeKey, key.bytes, message, signature)
    : nobleVerifyStrict(key.bytes, message, signature);
}

/** Like verifySignature, but throws the coded reason: SIGNATURE_MALFORMED or SIGNATURE_INVALID. */
export function assertSignature(
  key: PublicKey,
  message: Uint8Array,
  signature: Uint8Array,
  backend: CryptoBackend = 'node',
  field = '/signature',
): void {
  if (signature.length !== 64) throw fail('SIGNATURE_MALFORMED', 'an Ed25519 signature is 64 bytes', field);
  if (!verifySignature(key, message, signature, backend)) throw fail('SIGNATURE_INVALID', 'signature does not verify', field);
}
