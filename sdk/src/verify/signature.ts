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
