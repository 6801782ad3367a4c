import { edPublicToX25519, edSeedToX25519, x25519Ephemeral, x25519PublicKey, x25519Shared } from '../crypto/x25519.js';
import { bytesEqual, concatBytes } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { isBundlePath } from '../exit/layout.js';
import { SEALED, SEALED_MAGIC, SEALED_MIN } from './format.js';
import { gcmOpen, gcmSeal, sealKey } from './key.js';

// The path is bound into both the key and the aad, so it must be the member name exactly.
function assertPath(path: string): void {
  if (typeof path !== 'string' || !isBundlePath(path)) throw fail('INPUT_INVALID', 'a sealed file path must be a bundle member name', 'path');
}

/**
 * Seals `plaintext` to the owner's Ed25519 public key for the bundle member `path`
 * (spec/exit-bundle.md §5). The ephemeral secret lives only for this call.
 */
export function sealToOwner(plaintext: Uint8Array, path: string, ownerPublicKey: Uint8Array): Uint8Array {
  assertPath(path);
  const o = edPublicToX25519(ownerPublicKey, 'ownerPublicKey');
  const eph = x25519Ephemeral();
  const z = x25519Shared(eph.secret, o);
  if (z === null) throw fail('KEY_SMALL_ORDER', 'the owner key gives an all-zero shared secret', 'ownerPublicKey');
  const ct = gcmSeal(sealKey(z, eph.publicKey, o, path), plaintext, path);
  return concatBytes(SEALED_MAGIC, eph.publicKey, ct);
}

/**
 * Opens a sealed file with the owner's 32-byte Ed25519 seed. A malformed file is
 * SEALED_INVALID; a file that does not authenticate (another key, another path, a changed
 * byte) is SEALED_OPEN_FAILED. Both name `path`.
 */
export function openSealed(bytes: Uint8Array, path: string, ownerSeed: Uint8Array): Uint8Array {
  assertPath(path);
  const secret = edSeedToX25519(ownerSeed, 'ownerSeed');
  if (!(bytes instanceof Uint8Array) || bytes.length < SEALED_MIN) throw fail('SEALED_INVALID', 'sealed file is truncated', path);
  if (!bytesEqual(bytes.subarray(0, SEALED_MAGIC.length), SEALED_MAGIC)) throw fail('SEALED_INVALID', 'not a nexus-cos-sealed-v1 file', path);
  const e = bytes.subarray(SEALED_MAGIC.length, SEALED_MAGIC.length + SEALED.ephemeral);
  const z = x25519Shared(secret, e);
  if (z === null) throw fail('SEALED_INVALID', 'the ephemeral key gives an all-zero shared secret', path);
  const o = x25519PublicKey(secret);
  const plain = gcmOpen(sealKey(z, e, o, path), bytes.subarray(SEALED_MAGIC.length + SEALED.ephemeral), path);
  if (plain === null) throw fail('SEALED_OPEN_FAILED', 'sealed file does not open with this key at this path', path);
  return plain;
}
