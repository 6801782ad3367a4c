import { isAscii } from 'node:buffer';
import { base64DecodedLength, decodeBase64Into } from '../encoding/base64-bytes.js';
import { LEDGER_ENTRY_MEDIA_TYPE } from '../schemas/ledger.js';
import { readEnvelopeSpans } from '../verify/envelope-bytes.js';
import { verifySignature } from '../verify/signature.js';
import type { TrustedKeys } from '../verify/trust.js';

// The verifier's path through one stored ledger entry in the plain canonical form, on the
// bytes where they lie: the payload's base64 is decoded straight into the DSSE PAE that is
// verified, so an entry costs no payload copy, no base64 string and no allocation but the
// parsed value. A verifier opens every entry of a chain; this is most of what it does
// beside the signature check itself.
//
// It only ever ACCEPTS, as readCanonicalEnvelope does: bytes in another form, a non-canonical
// base64 text, an unknown or failing signature, another payload type or a payload that is not
// JSON all return undefined, and openEntry's general path reaches the verdict and the coded
// error it always did (so a failing entry is checked twice, a good one once).

const LEDGER_TYPE = Buffer.from(LEDGER_ENTRY_MEDIA_TYPE, 'latin1');
/** `DSSEv1 <len(type)> <type> `: the fixed start of every ledger entry's PAE. */
const PAE_HEAD = Buffer.from(`DSSEv1 ${LEDGER_TYPE.length} ${LEDGER_ENTRY_MEDIA_TYPE} `, 'latin1');
// Reused for each entry's PAE and signature (single-threaded, never re-entrant); a payload
// longer than the scratch gets a buffer of its own, so one large entry is not kept alive.
const SCRATCH = 16 * 1024;
const paeBuf = Buffer.alloc(SCRATCH);
PAE_HEAD.copy(paeBuf);
const sigBuf = new Uint8Array(64);

/** The PAE of the entry's payload, decoded into place; undefined unless the base64 is canonical. */
function paeOf(bytes: Uint8Array, [start, end]: readonly [number, number]): { pae: Buffer; payload: Buffer } | undefined {
  const n = base64DecodedLength(bytes, start, end);
  if (n < 0) return undefined;
  const len = `${n} `;
  const at = PAE_HEAD.length + len.length;
  let buf = paeBuf;
  if (at + n > SCRATCH) {
    buf = Buffer.alloc(at + n);
    PAE_HEAD.copy(buf);
  }
  buf.write(len, PAE_HEAD.length, 'latin1');
  if (!decodeBase64Into(bytes, start, end, buf, at)) return undefined;
  return { pae: buf.subarray(0, at + n), payload: buf.subarray(at, at + n) };
}

/**
 * The ledger entry `bytes` hold, with the trusted keys that signed it, when the bytes are in
 * the plain canonical form, of the ledger entry type, every signature by a trusted key
 * verifies (at least one does) and the payload is JSON; else undefined. The value is NOT
 * yet schema-checked: the caller checks it, as it does the general path's.
 */
export function openPlainEntry(bytes: Uint8Array, trusted: TrustedKeys): { value: unknown; signedBy: string[] } | undefined {
  const spans = readEnvelopeSpans(bytes);
  if (spans === undefined || spans.payloadType !== LEDGER_ENTRY_MEDIA_TYPE) return undefined;
  const signed = paeOf(bytes, spans.payload);
  if (signed === undefined) return undefined;
  const signedBy: string[] = [];
  for (const s of spans.signatures) {
    const key = trusted.get(s.keyid);
    // An untrusted key's signature is ignored, as the general path ignores it (its text is
    // still canonical base64 there, which this path then has not checked: so it declines).
    if (key === undefined) return undefined;
    const [start, end] = s.sig;
    if (base64DecodedLength(bytes, start, end) !== sigBuf.length || !decodeBase64Into(bytes, start, end, sigBuf, 0)) return undefined;
    if (!verifySignature(key, signed.pae, sigBuf)) return undefined;
    if (!signedBy.includes(s.keyid)) signedBy.push(s.keyid);
  }
  // Strict UTF-8 as fromUtf8 decodes it: ASCII text, the usual case, is its own latin1 reading.
  if (!isAscii(signed.payload)) return undefined;
  try {
    return { value: JSON.parse(signed.payload.toString('latin1')), signedBy };
  } catch {
    return undefined;
  }
}
