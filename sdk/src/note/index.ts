export { MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES, ED25519_SIG_TYPE, isValidKeyName } from './limits.js';
export {
  noteKeyId,
  noteVerifierKey,
  formatKeyId,
  formatVerifierKey,
  parseVerifierKey,
  type NoteVerifierKey,
} from './verifier-key.js';
export { parseNoteFrame, SIGNATURE_PREFIX, type NoteFrame, type NoteSignatureLine } from './frame.js';
export { signNote, type NoteSigner } from './sign.js';
export { openNote, type OpenedNote } from './open.js';
export {
  formatCheckpoint,
  parseCheckpointBody,
  openCheckpoint,
  MAX_CHECKPOINT_SIZE,
  type Checkpoint,
  type CheckpointInput,
  type CheckpointTrust,
  type OpenedCheckpoint,
} from './checkpoint.js';
