import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { fail } from '../errors/index.js';
import { assertStrictPublicKey } from './ed25519.js';

/** An X25519 key pair made fresh for one sealing; the caller drops `secret` after use. */
export interface X25519Pair {
  readonly secret: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * The X25519 (Montgomery u) form of a strict Ed25519 public key, by the birational map
 * of RFC 8032 §5.1.5 (libsodium's crypto_sign_ed25519_pk_to_curve25519). The key is
 * checked strictly first, so a small-order owner key never reaches the key agreement.
 */
export function edPublicToX25519(publicKey: Uint8Array, field = ''): Uint8Array {
  assertStrictPublicKey(publicKey, field);
  return ed25519.utils.toMontgomery(publicKey);
}

/** The X25519 secret of an Ed25519 seed: SHA-512 of the seed, first 32 bytes, clamped. */
export function edSeedToX25519(seed: Uint8Array, field = ''): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw fail('KEY_INVALID', 'an Ed25519 seed is 32 bytes', field);
  return ed25519.utils.toMontgomerySecret(seed);
}

/** A fresh ephemeral X25519 key pair from the platform CSPRNG. */
export function x25519Ephemeral(): X25519Pair {
  const secret = x25519.utils.randomSecretKey();
  return { secret, publicKey: x25519.getPublicKey(secret) };
}

/** The X25519 public key of a secret scalar (RFC 7748). */
export function x25519PublicKey(secret: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secret);
}

/**
 * The shared secret Z = X25519(secret, peer), or null when it is all zero (the peer is a
 * small-order point): RFC 7748 §6.1 says such a Z MUST be refused, and the caller names why.
 */
export function x25519Shared(secret: Uint8Array, peer: Uint8Array): Uint8Array | null {
  let z: Uint8Array;
  try {
    z = x25519.getSharedSecret(secret, peer);
  } catch {
    return null; // noble refuses an all-zero result itself
  }
  return z.every((b) => b === 0) ? null : z;
}
