import { ed25519 } from '@noble/curves/ed25519.js';
import { fail } from '../errors/index.js';
import { isSmallOrderEncoding } from './small-order.js';

/** Lengths fixed by RFC 8032. */
export const ED25519 = { publicKey: 32, seed: 32, signature: 64 } as const;

// L = 2^252 + 27742317777372353535851937790883648493, little-endian, for the S < L check.
const L_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

/** True when the 32 little-endian bytes are a scalar below the group order L (canonical S). */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = s[i] as number;
    const b = L_LE[i] as number;
    if (a < b) return true;
    if (a > b) return false;
  }
  return false; // equal to L
}

/**
 * Refuses a public key that strict verification would not accept: a wrong length, a
 * non-canonical or off-curve encoding, a small-order point, or a point outside the
 * prime-order subgroup. Keys made by RFC 8032 key generation always pass; checking once
 * here lets every later verification skip the work.
 */
export function assertStrictPublicKey(key: Uint8Array, field = ''): void {
  if (!(key instanceof Uint8Array) || key.length !== ED25519.publicKey) {
    throw fail('KEY_INVALID', 'an Ed25519 public key is 32 bytes', field);
  }
  let point;
  try {
    point = ed25519.Point.fromBytes(key, false);
  } catch (cause) {
    throw fail('KEY_INVALID', 'not a canonical Ed25519 point encoding', field, cause);
  }
  if (point.isSmallOrder()) throw fail('KEY_SMALL_ORDER', 'small-order public key', field);
  if (!point.isTorsionFree()) throw fail('KEY_INVALID', 'public key outside the prime-order subgroup', field);
}

/**
 * The checks every strict verification makes before any curve arithmetic: length,
 * canonical S (S < L) and an R that is not a small-order point. Both back ends run them.
 */
export function preVerify(sig: Uint8Array): boolean {
  return (
    sig instanceof Uint8Array &&
    sig.length === ED25519.signature &&
    isCanonicalScalar(sig.subarray(32, 64)) &&
    !isSmallOrderEncoding(sig.subarray(0, 32))
  );
}

/**
 * Strict RFC 8032 verification with noble (`zip215: false`: canonical A and R, S < L,
 * small-order A refused, cofactored equation), after `preVerify`. The public key must
 * already have passed `assertStrictPublicKey`. This is the reference verdict.
 */
export function nobleVerifyStrict(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (!preVerify(sig)) return false;
  return ed25519.verify(sig, msg, publicKey, { zip215: false });
}

/** RFC 8032 public key of a 32-byte seed. */
export function noblePublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** RFC 8032 signature (deterministic) with noble. */
export function nobleSign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  return ed25519.sign(msg, seed);
}

/** 32 random bytes from the platform CSPRNG. */
export function randomSeed(): Uint8Array {
  return ed25519.utils.randomSecretKey();
}
