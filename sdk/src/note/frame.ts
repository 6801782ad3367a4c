import { fromBase64 } from '../encoding/base64.js';
import { fromUtf8, utf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { hasControlChar, isValidKeyName, MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './limits.js';

/** One signature line of a note, decoded but not verified. */
export interface NoteSignatureLine {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A note split into its signed text (exact bytes) and its signature lines. */
export interface NoteFrame {
  readonly text: string;
  readonly textBytes: Uint8Array;
  readonly signatures: readonly NoteSignatureLine[];
}

/** The em dash and space that open every signature line (U+2014 U+0020). */
export const SIGNATURE_PREFIX = '\u2014 ';

function malformed(message: string, field = ''): Error {
  return fail('NOTE_MALFORMED', message, field);
}

// Decodes the note to a string, refusing oversize input before any further work.
function decode(note: string | Uint8Array): string {
  if (typeof note === 'string') {
    if (note.length > MAX_NOTE_BYTES) throw malformed('note exceeds 1 MiB');
    if (!note.isWellFormed()) throw malformed('note is not well-formed Unicode');
    if (utf8(note).length > MAX_NOTE_BYTES) throw malformed('note exceeds 1 MiB');
    return note;
  }
  if (!(note instanceof Uint8Array)) throw malformed('a note is a string or bytes');
  if (note.length > MAX_NOTE_BYTES) throw malformed('note exceeds 1 MiB');
  try {
    return fromUtf8(note);
  } catch {
    throw malformed('note is not valid UTF-8');
  }
}

function parseLine(line: string, i: number): NoteSignatureLine {
  const field = `/signatures/${i}`;
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('signature line must start with an em dash and a space', field);
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? '' : rest.slice(0, space);
  const b64 = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name) || b64 === '') throw malformed('signature line is "— <name> <base64>"', field);
  let blob: Uint8Array;
  try {
    blob = fromBase64(b64);
  } catch {
    throw malformed('signature is not canonical base64', field);
  }
  if (blob.length < 5) throw malformed('signature is a 4-byte key id and at least one byte', field);
  const keyId = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0, false);
  return { name, keyId, signature: blob.subarray(4) };
}

/**
 * Splits a C2SP signed note (c2sp.org/signed-note) into text and signature lines. Only
 * the framing is read: the text is returned untouched, to be trusted only after a
 * signature over `textBytes` verifies. Any deviation from the format is NOTE_MALFORMED.
 */
export function parseNoteFrame(note: string | Uint8Array): NoteFrame {
  const s = decode(note);
  if (hasControlChar(s)) throw malformed('note contains a control character other than newline');
  // The text may contain blank lines; the last blank line separates it from signatures.
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw malformed('signature lines must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed('too many signatures');
  return { text, textBytes: utf8(text), signatures: lines.map(parseLine) };
}
