import { fromBase64, toBase64 } from '../encoding/base64.js';
import { fail } from '../errors/index.js';
import { hasControlChar } from './limits.js';
import { openNote } from './open.js';
import type { NoteVerifierKey } from './verifier-key.js';

/**
 * The body of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint). Tree sizes are
 * bigint so that every value on the wire round-trips; they are capped at 2^63 - 1,
 * the int64 range Go's parsers accept. Merkle functions take numbers: convert with
 * `Number(size)` after checking `size <= BigInt(Number.MAX_SAFE_INTEGER)`.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  /** RFC 6962 root hash of the tree at `size`, 32 bytes. */
  readonly root: Uint8Array;
  /** Opaque, non-empty extension lines, in order (NOT RECOMMENDED by C2SP). */
  readonly extensions: readonly string[];
}

/** Input to formatCheckpoint: a checkpoint whose extensions may be omitted. */
export type CheckpointInput = Omit<Checkpoint, 'extensions'> & { readonly extensions?: readonly string[] };

/** Largest tree size a checkpoint may carry (int64 max). */
export const MAX_CHECKPOINT_SIZE = 2n ** 63n - 1n;

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function malformed(message: string, field: string): Error {
  return fail('CHECKPOINT_MALFORMED', message, field);
}

// One rule for a line of the body, applied when formatting and when parsing.
function assertLine(line: unknown, field: string): asserts line is string {
  if (typeof line !== 'string' || line === '' || line.includes('\n') || hasControlChar(line) || !line.isWellFormed()) {
    throw malformed('a checkpoint line is non-empty text without control characters', field);
  }
}

/** The note text of a checkpoint: origin, decimal size, base64 root, extensions, each ending in a newline. */
export function formatCheckpoint(cp: CheckpointInput): string {
  assertLine(cp.origin, '/origin');
  if (typeof cp.size !== 'bigint' || cp.size < 0n || cp.size > MAX_CHECKPOINT_SIZE) {
    throw malformed('tree size is a bigint in [0, 2^63 - 1]', '/size');
  }
  if (!(cp.root instanceof Uint8Array) || cp.root.length !== 32) throw malformed('root hash is 32 bytes', '/root');
  const ext = cp.extensions ?? [];
  ext.forEach((line, i) => assertLine(line, `/extensions/${i}`));
  return [cp.origin, cp.size.toString(10), toBase64(cp.root), ...ext].map((l) => `${l}\n`).join('');
}

/**
 * Parses checkpoint text exactly: at least three non-empty lines, each ending in a
 * newline; a decimal size with no sign or leading zero; canonical base64 of 32 bytes.
 * Anything else is CHECKPOINT_MALFORMED. Call only on text whose signature verified.
 */
export function parseCheckpointBody(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw malformed('checkpoint text ends with a newline', '');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('a checkpoint has origin, size and root lines', '');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  assertLine(origin, '/origin');
  if (!DECIMAL.test(sizeText) || sizeText.length > 19 || BigInt(sizeText) > MAX_CHECKPOINT_SIZE) {
    throw malformed('tree size is a decimal in [0, 2^63 - 1] without leading zeros', '/size');
  }
  let root: Uint8Array;
  try {
    root = fromBase64(rootText);
  } catch {
    throw malformed('root hash is not canonical base64', '/root');
  }
  if (root.length !== 32) throw malformed('root hash is 32 bytes', '/root');
  extensions.forEach((line, i) => assertLine(line, `/extensions/${i}`));
  return { origin, size: BigInt(sizeText), root, extensions };
}

/** What openCheckpoint trusts: the log's expected origin and the keys allowed to sign for it. */
export interface CheckpointTrust {
  readonly origin: string;
  readonly trusted: readonly NoteVerifierKey[];
}

/** A verified checkpoint and the names of the trusted keys that signed it. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly verifiedBy: readonly string[];
  /** did:key ids of the keys that verified, for their validity periods. */
  readonly verifiedKeys: readonly string[];
}

/**
 * Opens a signed checkpoint: verifies the note signatures first (openNote), only then
 * parses the body, then requires the origin to be exactly the expected one
 * (CHECKPOINT_ORIGIN). Any verified trusted signature suffices, so `trusted` should hold
 * the log's own key(s); witness cosignatures are checked separately.
 */
export function openCheckpoint(note: string | Uint8Array, trust: CheckpointTrust): OpenedCheckpoint {
  const opened = openNote(note, trust.trusted);
  const checkpoint = parseCheckpointBody(opened.text);
  if (checkpoint.origin !== trust.origin) throw fail('CHECKPOINT_ORIGIN', 'checkpoint is for another log', '/origin');
  return { checkpoint, verifiedBy: opened.verifiedBy, verifiedKeys: opened.verifiedKeys };
}
