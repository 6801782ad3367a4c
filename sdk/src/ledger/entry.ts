import { canonicalBytes } from '../encoding/canonical-json.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail, isNexusError } from '../errors/index.js';
import { leafHashHex } from '../merkle/hash.js';
import { assertSchema } from '../schemas/common.js';
import { Envelope } from '../schemas/envelope.js';
import { LEDGER_ENTRY_MEDIA_TYPE, assertLedgerEntryV1, type LedgerEntry } from '../schemas/ledger.js';
import { fromBase64 } from '../encoding/base64.js';
import { openPlainEntry } from './entry-bytes.js';
import { openShapedJsonEnvelope } from '../verify/envelope.js';
import { readCanonicalEnvelope } from '../verify/envelope-bytes.js';
import { canonicalEnvelopeText } from '../verify/envelope-text.js';
import type { TrustedKeys } from '../verify/trust.js';

/**
 * The stored form of a ledger entry: the canonical JSON bytes of its DSSE envelope. These
 * exact bytes are the Merkle leaf, so a verifier hashes what it holds, never a re-encoding.
 */
export function encodeEntry(envelope: Envelope): Uint8Array {
  return canonicalBytes(envelope);
}

/** The entry hash: its RFC 6962 leaf hash, lower-case hex. Chains link by it (`prev`). */
export function entryHash(bytes: Uint8Array): string {
  return leafHashHex(bytes);
}

/** A verified ledger entry: the bytes as stored, their hash, and the parsed payload. */
export interface OpenedEntry {
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly entry: LedgerEntry;
  readonly signedBy: readonly string[];
}

/**
 * Opens stored entry bytes: they must be exactly the canonical JSON of an envelope, the
 * envelope must be signed by a trusted (platform) key, and only then is the payload parsed
 * and checked against the LedgerEntry schema. Every coded failure names the entry: `field`
 * is prefixed to the field inside it (`/entries/3/signatures/0/sig`).
 */
export function openEntry(bytes: Uint8Array, trusted: TrustedKeys, field = ''): OpenedEntry {
  try {
    return open(bytes, trusted);
  } catch (e) {
    throw isNexusError(e) ? fail(e.code, e.message, `${field}${e.field ?? ''}`, e) : e;
  }
}

function open(bytes: Uint8Array, trusted: TrustedKeys): OpenedEntry {
  // The in-place path only accepts; whatever it declines, the general path below decides.
  const plain = openPlainEntry(bytes, trusted);
  if (plain !== undefined) {
    assertLedgerEntryV1(plain.value);
    return { bytes, hash: entryHash(bytes), entry: plain.value, signedBy: plain.signedBy };
  }
  const envelope = readCanonicalEnvelope(bytes) ?? parseCanonicalEnvelope(bytes);
  const { value, verified } = openShapedJsonEnvelope(envelope, { trusted, payloadType: LEDGER_ENTRY_MEDIA_TYPE });
  assertLedgerEntryV1(value);
  return { bytes, hash: entryHash(bytes), entry: value, signedBy: verified.signedBy };
}

/**
 * The entry in bytes that openEntry ALREADY accepted, parsed again without checking the
 * signature a second time: the same value openEntry returned. A verifier that checked a long
 * chain on worker threads keeps the bytes, not a million parsed entries, and re-reads the few
 * a later check asks for. Never a substitute for openEntry on bytes not yet verified.
 */
export function readVerifiedEntry(bytes: Uint8Array): LedgerEntry {
  const envelope = readCanonicalEnvelope(bytes) ?? parseCanonicalEnvelope(bytes);
  const value: unknown = JSON.parse(fromUtf8(fromBase64(envelope.payload, '/payload'), '/payload'));
  assertLedgerEntryV1(value);
  return value;
}

/** The general path for bytes the fast reader left: any canonical envelope, or the coded reason it is not one. */
function parseCanonicalEnvelope(bytes: Uint8Array): Envelope {
  let text: string;
  let envelope: unknown;
  try {
    text = fromUtf8(bytes);
    envelope = JSON.parse(text);
  } catch (cause) {
    throw fail('ENVELOPE_MALFORMED', 'entry bytes are not JSON', '', cause);
  }
  assertSchema(Envelope, envelope, 'ENVELOPE_MALFORMED');
  // The text decoded once above is compared with the canonical text built for this schema
  // (strict UTF-8 decoding is one-to-one, so equal texts mean equal bytes).
  if (canonicalEnvelopeText(envelope) !== text) {
    throw fail('JSON_NOT_CANONICAL', 'entry bytes are not the canonical envelope', '');
  }
  return envelope;
}

/** The chain an entry belongs to: its IMVU, or `platform` for platform-global entries. */
export function chainOf(entry: { imvu: string | null }): string {
  return entry.imvu ?? PLATFORM_CHAIN;
}

/** Chain name of the entries that belong to no IMVU. Cannot collide with an IMVU id. */
export const PLATFORM_CHAIN = 'platform';
