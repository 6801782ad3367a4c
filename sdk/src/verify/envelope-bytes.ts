import { base64DecodedLength, decodeBase64Into } from '../encoding/base64-bytes.js';
import type { Envelope } from '../schemas/envelope.js';

// A fast reader for the one text form stored ledger entries take: the canonical JSON of an
// envelope whose strings are printable ASCII. A verifier opens every entry of a chain, and
// JSON.parse, the schema's base64 pattern and rebuilding the canonical text cost about as
// much as a tenth of the signature check; one scan of the bytes decides the same thing.
//
// It only ever ACCEPTS. Bytes it does not recognise (escapes, non-ASCII, another order,
// whitespace, a bad length or encoding, anything else) return undefined, and the caller
// takes the general path, which accepts them or gives the coded error it always gave. A
// property test holds it to that path: whatever this accepts, the general path accepts
// with an equal value.

const lit = (s: string): Uint8Array => new TextEncoder().encode(s);
const OPEN = lit('{"payload":"');
const TYPE = lit('","payloadType":"');
const SIGS = lit('","signatures":[');
const KEYID = lit('{"keyid":"');
const SIG = lit('","sig":"');
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_SIG = 0x7d; // }
const CLOSE_LIST = 0x5d; // ]

// Schema bounds (schemas/envelope.ts, schemas/common.ts): names of 1..256 characters, base64 up to 2^26, 1..16 signatures.
const MAX_BASE64 = 1 << 26;
const MAX_SIGNATURES = 16;
/** A name JSON writes as it is: printable ASCII but `"` and `\`, 1..256 of them. */
const PLAIN_NAME = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,256}$/;

function literal(b: Uint8Array, at: number, l: Uint8Array): number {
  if (at < 0 || at + l.length > b.length) return -1;
  for (let i = 0; i < l.length; i++) if (b[at + i] !== l[i]) return -1;
  return at + l.length;
}

/**
 * Canonical padded base64 (the one text Buffer re-encodes the bytes to), which is what the
 * schema pattern allows plus zero trailing bits, the check verification makes next anyway.
 */
const isCanonicalBase64 = (b: Uint8Array, [start, end]: Span): boolean => {
  const n = end - start <= MAX_BASE64 ? base64DecodedLength(b, start, end) : -1;
  return n >= 0 && decodeBase64Into(b, start, end, n <= SCRATCH.length ? SCRATCH : new Uint8Array(n), 0);
};
const SCRATCH = new Uint8Array(4096);

/** Where a string's characters lie: bytes [start, end), between its quotes. */
export type Span = readonly [start: number, end: number];

/** Where the strings of an envelope in the plain canonical form lie; the base64 ones are not yet checked. */
export interface EnvelopeSpans {
  readonly payload: Span;
  readonly payloadType: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: Span }[];
}

/**
 * The layout of `bytes` when they are the canonical JSON text of an envelope of the plain
 * form above, names checked, the payload within the schema's length bound, base64 texts NOT
 * otherwise checked (the caller decodes them strictly or checks them); undefined when the
 * general path must decide.
 */
export function readEnvelopeSpans(bytes: Uint8Array): EnvelopeSpans | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Each string ends at the next quote (native indexOf); what lies between is then checked whole.
  let at = literal(bytes, 0, OPEN);
  let end = at < 0 ? -1 : text.indexOf(QUOTE, at);
  // The schema's bound on every base64 text (a signature must decode to 64 bytes anyway).
  if (end < 0 || end - at > MAX_BASE64) return undefined;
  const payload: Span = [at, end];
  at = literal(bytes, end, TYPE);
  end = at < 0 ? -1 : text.indexOf(QUOTE, at);
  if (end < 0) return undefined;
  const payloadType = text.toString('latin1', at, end);
  if (!PLAIN_NAME.test(payloadType) || (at = literal(bytes, end, SIGS)) < 0) return undefined;
  const signatures: { keyid: string; sig: Span }[] = [];
  for (;;) {
    if (signatures.length === MAX_SIGNATURES) return undefined;
    at = literal(bytes, at, KEYID);
    end = at < 0 ? -1 : text.indexOf(QUOTE, at);
    if (end < 0) return undefined;
    const keyid = text.toString('latin1', at, end);
    at = PLAIN_NAME.test(keyid) ? literal(bytes, end, SIG) : -1;
    end = at < 0 ? -1 : text.indexOf(QUOTE, at);
    if (end < 0 || bytes[end + 1] !== CLOSE_SIG) return undefined;
    signatures.push({ keyid, sig: [at, end] });
    at = end + 2;
    if (bytes[at] === COMMA) {
      at++;
      continue;
    }
    if (bytes[at] === CLOSE_LIST && bytes[at + 1] === CLOSE_SIG && at + 2 === bytes.length) break;
    return undefined;
  }
  return { payload, payloadType, signatures };
}

/**
 * The envelope `bytes` are the canonical JSON text of, when that text is of the plain form
 * above; undefined when the general path must decide. A returned envelope satisfies the
 * Envelope schema and `bytes` are exactly its canonical JSON (RFC 8785).
 */
export function readCanonicalEnvelope(bytes: Uint8Array): Envelope | undefined {
  const spans = readEnvelopeSpans(bytes);
  if (spans === undefined || !isCanonicalBase64(bytes, spans.payload) || !spans.signatures.every((s) => isCanonicalBase64(bytes, s.sig))) return undefined;
  const latin1 = ([start, end]: Span): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end);
  return { payload: latin1(spans.payload), payloadType: spans.payloadType, signatures: spans.signatures.map((s) => ({ keyid: s.keyid, sig: latin1(s.sig) })) };
}
