import { sha256 } from '../crypto/sha256.js';
import { fromBase64, toBase64 } from '../encoding/base64.js';
import { concatBytes, utf8 } from '../encoding/utf8.js';
import { fail, isNexusError } from '../errors/index.js';
import { PublicKey } from '../identity/public-key.js';
import { ED25519_SIG_TYPE, isValidKeyName } from './limits.js';

/** A trusted Ed25519 note key: its name, its 32-bit key id and the strictly checked key. */
export interface NoteVerifierKey {
  readonly name: string;
  /** uint32, the big-endian value of the first 4 bytes of the key hash. */
  readonly keyId: number;
  readonly publicKey: PublicKey;
}

/** C2SP key id: SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4] as a big-endian uint32. */
export function noteKeyId(name: string, publicKey: PublicKey): number {
  if (!isValidKeyName(name)) throw fail('KEY_INVALID', 'invalid note key name', '/name');
  const h = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, ED25519_SIG_TYPE), publicKey.bytes));
  return new DataView(h.buffer, h.byteOffset, 4).getUint32(0, false);
}

/** The verifier key for a name and public key, with its key id computed. */
export function noteVerifierKey(name: string, publicKey: PublicKey): NoteVerifierKey {
  return { name, keyId: noteKeyId(name, publicKey), publicKey };
}

/** 8 lower-case hex digits of a key id, as verifier keys and the spec write it. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** Verifier key text `<name>+<8 hex keyid>+<base64(0x01 || key)>`, as golang.org/x/mod/sumdb/note writes it. */
export function formatVerifierKey(name: string, publicKey: PublicKey): string {
  const keyId = noteKeyId(name, publicKey);
  return `${name}+${formatKeyId(keyId)}+${toBase64(concatBytes(Uint8Array.of(ED25519_SIG_TYPE), publicKey.bytes))}`;
}

/**
 * Parses verifier key text strictly: valid name, exactly 8 lower-case hex digits,
 * canonical base64 of 0x01 followed by a strict Ed25519 key, and a key id that matches
 * the one computed from name and key. Any deviation is KEY_INVALID (or KEY_SMALL_ORDER).
 */
export function parseVerifierKey(text: string): NoteVerifierKey {
  if (typeof text !== 'string') throw fail('KEY_INVALID', 'verifier key must be a string');
  // The name cannot contain '+', the key id is hex, so the first two '+' are the field
  // separators; base64 may contain '+', so the rest of the text is the key.
  const a = text.indexOf('+');
  const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  if (b < 0) throw fail('KEY_INVALID', 'verifier key is name+keyid+key');
  const name = text.slice(0, a);
  const idHex = text.slice(a + 1, b);
  if (!isValidKeyName(name)) throw fail('KEY_INVALID', 'invalid note key name', '/name');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw fail('KEY_INVALID', 'key id is 8 lower-case hex digits', '/keyId');
  let raw: Uint8Array;
  try {
    raw = fromBase64(text.slice(b + 1), '/key');
  } catch (cause) {
    throw fail('KEY_INVALID', 'key is not canonical base64', '/key', isNexusError(cause) ? cause : undefined);
  }
  if (raw.length !== 33 || raw[0] !== ED25519_SIG_TYPE) throw fail('KEY_INVALID', 'only Ed25519 (type 0x01) keys are supported', '/key');
  const key = noteVerifierKey(name, PublicKey.fromBytes(raw.subarray(1), '/key'));
  if (formatKeyId(key.keyId) !== idHex) throw fail('KEY_INVALID', 'key id does not match name and key', '/keyId');
  return key;
}
