import { fromBase64 } from '../encoding/base64.js';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { bytesEqual, fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { toHex } from '../encoding/hex.js';
import { leafHash } from '../merkle/hash.js';
import { rootFromLeafHashes } from '../merkle/accumulator.js';
import { assertSchema } from '../schemas/common.js';
import { Envelope } from '../schemas/envelope.js';
import { GENESIS_PREV, LEDGER_ENTRY_MEDIA_TYPE, type LedgerEntry } from '../schemas/ledger.js';
import { parseAmount } from './amount.js';

/** One stored ledger entry: the exact envelope bytes (hashed into the log) and the entry they carry. */
export interface ChainEntry {
  readonly bytes: Uint8Array;
  readonly entry: LedgerEntry;
}

/** What a run of chain entries covers: inclusive seq range, count and RFC 6962 root of their leaf hashes. */
export interface Coverage {
  readonly fromSeq: bigint;
  readonly toSeq: bigint;
  readonly count: number;
  readonly root: Uint8Array;
}

/** Leaf hashes and root of entry bytes, as they are hashed into the log. */
export function coverageRoot(entries: readonly ChainEntry[]): Uint8Array {
  return rootFromLeafHashes(entries.map((e) => leafHash(e.bytes)));
}

/**
 * Checks that `entries` are consecutive entries of one IMVU's chain (seq +1, each prev
 * the entry hash of the one before) and that each entry is exactly what its bytes carry.
 * The last check matters: lines are computed from `entry` and the root from `bytes`, so
 * without it a statement could be reconciled against numbers the log never held.
 * Signatures on the bytes are the caller's to have verified.
 */
export function coverChain(imvu: string, entries: readonly ChainEntry[]): Coverage {
  if (entries.length === 0) throw fail('INPUT_INVALID', 'a statement covers at least one entry', '/entries');
  const hashes: Uint8Array[] = [];
  let first = -1n;
  let seq = -1n;
  let prev = '';
  entries.forEach(({ bytes, entry }, i) => {
    const field = `/entries/${i}`;
    if (entry.imvu !== imvu) throw fail('INPUT_INVALID', 'entry belongs to another chain', `${field}/entry/imvu`);
    const s = parseAmount(entry.seq, `${field}/entry/seq`);
    if (i > 0 && (s !== seq + 1n || entry.prev !== prev)) {
      throw fail('INPUT_INVALID', 'entries are not consecutive in the chain', `${field}/entry/prev`);
    }
    if (s === 0n && entry.prev !== GENESIS_PREV) throw fail('INPUT_INVALID', 'seq 0 has the genesis prev', `${field}/entry/prev`);
    assertCarries(bytes, entry, `${field}/bytes`);
    if (i === 0) first = s;
    seq = s;
    const leaf = leafHash(bytes); // the entry hash is this leaf hash, in hex: hash once
    prev = toHex(leaf);
    hashes.push(leaf);
  });
  return { fromSeq: first, toSeq: seq, count: entries.length, root: rootFromLeafHashes(hashes) };
}

// The bytes must be the canonical JSON of a ledger-entry envelope whose payload is the
// canonical JSON of `entry`: one text per entry, as the log stores it.
function assertCarries(bytes: Uint8Array, entry: LedgerEntry, field: string): void {
  if (!(bytes instanceof Uint8Array)) throw fail('INPUT_INVALID', 'entry bytes are a Uint8Array', field);
  let env: unknown;
  try {
    env = JSON.parse(fromUtf8(bytes, field));
  } catch (cause) {
    throw fail('INPUT_INVALID', 'entry bytes are not a JSON envelope', field, cause);
  }
  assertSchema(Envelope, env, 'INPUT_INVALID');
  const ok =
    bytesEqual(bytes, canonicalBytes(env)) &&
    env.payloadType === LEDGER_ENTRY_MEDIA_TYPE &&
    bytesEqual(fromBase64(env.payload, `${field}/payload`), canonicalBytes(entry));
  if (!ok) throw fail('INPUT_INVALID', 'entry bytes do not carry this entry', field);
}
