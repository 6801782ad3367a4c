import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { concatBytes, utf8 } from '../encoding/utf8.js';
import { SEALED, SEALED_INFO } from './format.js';

// The key is fresh per file (a new ephemeral E each time), so the fixed zero nonce is never reused.
const ZERO_NONCE = new Uint8Array(SEALED.nonce);

/** K = HKDF-SHA256(Z, salt = E || O, info = "nexus-cos/seal/v1" || path), 32 bytes. */
export function sealKey(z: Uint8Array, e: Uint8Array, o: Uint8Array, path: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', z, concatBytes(e, o), concatBytes(SEALED_INFO, utf8(path)), SEALED.key));
}

/** AES-256-GCM encryption with the zero nonce and aad = path; returns C || tag. */
export function gcmSeal(key: Uint8Array, plaintext: Uint8Array, path: string): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, ZERO_NONCE, { authTagLength: SEALED.tag });
  cipher.setAAD(utf8(path));
  const c = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return concatBytes(c, cipher.getAuthTag());
}

/** AES-256-GCM decryption of C || tag; null when the tag does not authenticate. */
export function gcmOpen(key: Uint8Array, sealed: Uint8Array, path: string): Uint8Array | null {
  const c = sealed.subarray(0, sealed.length - SEALED.tag);
  const decipher = createDecipheriv('aes-256-gcm', key, ZERO_NONCE, { authTagLength: SEALED.tag });
  decipher.setAAD(utf8(path));
  decipher.setAuthTag(sealed.subarray(sealed.length - SEALED.tag));
  try {
    return new Uint8Array(Buffer.concat([decipher.update(c), decipher.final()]));
  } catch {
    return null;
  }
}
