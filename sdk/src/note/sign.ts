import { toBase64 } from '../encoding/base64.js';
import { concatBytes, utf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import type { SyncSigner } from '../sign/signer.js';
import { SIGNATURE_PREFIX } from './frame.js';
import { hasControlChar, MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './limits.js';
import { noteKeyId } from './verifier-key.js';

/** One key to sign a note with, under the key name its verifiers know it by. */
export interface NoteSigner {
  readonly name: string;
  readonly signer: SyncSigner;
}

/**
 * Signs `text` as a C2SP signed note, one signature line per signer, in order. The
 * text must be one that `openNote` would return unchanged: well-formed, ending in a
 * newline, no control characters but newline. Returns the whole note.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (typeof text !== 'string' || !text.isWellFormed() || !text.endsWith('\n') || hasControlChar(text)) {
    throw fail('NOTE_MALFORMED', 'note text must be well-formed, end in a newline and have no control characters', '/text');
  }
  if (!Array.isArray(signers) || signers.length === 0 || signers.length > MAX_NOTE_SIGNATURES) {
    throw fail('INPUT_INVALID', `a note has 1 to ${MAX_NOTE_SIGNATURES} signatures`, '/signers');
  }
  const msg = utf8(text);
  let note = `${text}\n`;
  signers.forEach(({ name, signer }, i) => {
    const keyId = Uint8Array.of(0, 0, 0, 0);
    new DataView(keyId.buffer).setUint32(0, noteKeyId(name, signer.publicKey), false);
    const sig = signer.signSync(msg);
    if (sig.length !== 64) throw fail('SIGNATURE_MALFORMED', 'an Ed25519 signature is 64 bytes', `/signers/${i}`);
    note += `${SIGNATURE_PREFIX}${name} ${toBase64(concatBytes(keyId, sig))}\n`;
  });
  if (utf8(note).length > MAX_NOTE_BYTES) throw fail('NOTE_MALFORMED', 'note would exceed 1 MiB', '/text');
  return note;
}
