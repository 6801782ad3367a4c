import { fail } from '../errors/index.js';
import { verifySignature } from '../verify/signature.js';
import { parseNoteFrame } from './frame.js';
import type { NoteVerifierKey } from './verifier-key.js';

/** A note whose signatures have been checked: its text and the trusted keys that signed it. */
export interface OpenedNote {
  readonly text: string;
  /** Names of the trusted keys with a verified signature, first-seen order, no repeats. */
  readonly verifiedBy: readonly string[];
  /** The same keys as did:key ids; several keys may share one name across a rotation. */
  readonly verifiedKeys: readonly string[];
}

// Keys are identified by the pair (name, key id), never by either alone (C2SP signed-note).
function index(trusted: readonly NoteVerifierKey[]): Map<string, NoteVerifierKey> {
  if (!Array.isArray(trusted)) throw fail('INPUT_INVALID', 'trusted keys must be an array', '/trusted');
  const map = new Map<string, NoteVerifierKey>();
  trusted.forEach((k, i) => {
    const id = `${k.keyId}+${k.name}`;
    const prev = map.get(id);
    // Two different keys under one name and id would make the verdict depend on order.
    if (prev !== undefined && !prev.publicKey.equals(k.publicKey)) {
      throw fail('INPUT_INVALID', 'two trusted keys share a name and key id', `/trusted/${i}`);
    }
    map.set(id, k);
  });
  return map;
}

/**
 * Opens a C2SP signed note: checks the framing, then verifies every signature whose
 * name and key id match a trusted key, ignoring all others. One failing trusted
 * signature rejects the note (SIGNATURE_INVALID); no verified one is NOTE_UNSIGNED.
 * The text is not interpreted here; callers parse it only after this returns.
 */
export function openNote(note: string | Uint8Array, trusted: readonly NoteVerifierKey[]): OpenedNote {
  const keys = index(trusted);
  const frame = parseNoteFrame(note);
  const verifiedBy: string[] = [];
  const verifiedKeys: string[] = [];
  frame.signatures.forEach((sig, i) => {
    const key = keys.get(`${sig.keyId}+${sig.name}`);
    if (key === undefined) return;
    if (!verifySignature(key.publicKey, frame.textBytes, sig.signature)) {
      throw fail('SIGNATURE_INVALID', `signature by trusted key ${key.name} does not verify`, `/signatures/${i}`);
    }
    if (!verifiedBy.includes(key.name)) verifiedBy.push(key.name);
    if (!verifiedKeys.includes(key.publicKey.id)) verifiedKeys.push(key.publicKey.id);
  });
  if (verifiedBy.length === 0) throw fail('NOTE_UNSIGNED', 'no signature from a trusted key');
  return { text: frame.text, verifiedBy, verifiedKeys };
}
