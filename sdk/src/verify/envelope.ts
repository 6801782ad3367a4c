import { fromBase64 } from '../encoding/base64.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { assertSchema } from '../schemas/common.js';
import { Envelope } from '../schemas/envelope.js';
import { pae } from '../sign/pae.js';
import type { CryptoBackend } from '../sign/signer.js';
import { assertSignature } from './signature.js';
import type { TrustedKeys } from './trust.js';

/** Options for envelope verification. */
export interface VerifyEnvelopeOptions {
  readonly trusted: TrustedKeys;
  /** When set, the envelope must carry exactly this payload type. */
  readonly payloadType?: string;
  /** How many distinct trusted keys must have signed (default 1). */
  readonly threshold?: number;
  readonly backend?: CryptoBackend;
}

/** What a verified envelope proves: these exact bytes, of this type, signed by these keys. */
export interface VerifiedEnvelope {
  readonly payloadType: string;
  readonly payload: Uint8Array;
  readonly signedBy: readonly string[];
}

/**
 * Verifies a DSSE envelope before anything reads its payload. Signatures under keys not
 * in `trusted` are ignored (a bundle may carry a countersignature the verifier does not
 * know); a signature that names a trusted key but does not verify is an error, never
 * skipped, because it means the bytes or the signature were changed.
 */
export function verifyEnvelope(input: unknown, opts: VerifyEnvelopeOptions): VerifiedEnvelope {
  opts.trusted.assertNotEmpty();
  assertSchema(Envelope, input, 'ENVELOPE_MALFORMED');
  return verifyShapedEnvelope(input, opts);
}

/** verifyEnvelope for an envelope the caller has already checked against the Envelope schema (once per ledger entry is enough). */
export function verifyShapedEnvelope(input: Envelope, opts: VerifyEnvelopeOptions): VerifiedEnvelope {
  opts.trusted.assertNotEmpty();
  const payload = fromBase64(input.payload, '/payload');
  const signed = pae(input.payloadType, payload);
  const signedBy = new Set<string>();
  input.signatures.forEach((s, i) => {
    const key = opts.trusted.get(s.keyid);
    if (key === undefined) return;
    const field = `/signatures/${i}/sig`;
    assertSignature(key, signed, fromBase64(s.sig, field), opts.backend, field);
    signedBy.add(s.keyid);
  });
  const threshold = opts.threshold ?? 1;
  if (signedBy.size < threshold) {
    throw fail('SIGNATURE_UNTRUSTED', `${signedBy.size} of ${threshold} required trusted signatures`, '/signatures');
  }
  if (opts.payloadType !== undefined && input.payloadType !== opts.payloadType) {
    throw fail('ENVELOPE_PAYLOAD_TYPE', `expected ${opts.payloadType}`, '/payloadType');
  }
  return { payloadType: input.payloadType, payload, signedBy: [...signedBy] };
}

/**
 * Verifies, then parses the payload as JSON. The parsed value is exactly what was
 * signed: it is never re-canonicalized or corrected. Schema checks come after this.
 */
export function openJsonEnvelope(input: unknown, opts: VerifyEnvelopeOptions): { value: unknown; verified: VerifiedEnvelope } {
  return parseVerified(verifyEnvelope(input, opts));
}

/** openJsonEnvelope for an envelope already checked against the Envelope schema. */
export function openShapedJsonEnvelope(input: Envelope, opts: VerifyEnvelopeOptions): { value: unknown; verified: VerifiedEnvelope } {
  return parseVerified(verifyShapedEnvelope(input, opts));
}

function parseVerified(verified: VerifiedEnvelope): { value: unknown; verified: VerifiedEnvelope } {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(verified.payload, '/payload'));
  } catch (cause) {
    throw fail('PAYLOAD_INVALID', 'payload is not JSON', '/payload', cause);
  }
  return { value, verified };
}
