import { canonicalBytes } from '../encoding/canonical-json.js';
import { toBase64 } from '../encoding/base64.js';
import { fail } from '../errors/index.js';
import type { Envelope } from '../schemas/envelope.js';
import { pae } from './pae.js';
import type { Signer, SyncSigner } from './signer.js';

/** Signs exact payload bytes into a DSSE envelope, one signature per signer. */
export async function signEnvelope(payloadType: string, payload: Uint8Array, signers: readonly Signer[]): Promise<Envelope> {
  if (signers.length === 0) throw fail('INPUT_INVALID', 'at least one signer is required', '/signers');
  const bytes = pae(payloadType, payload);
  const signatures = [];
  for (const s of signers) signatures.push({ keyid: s.publicKey.id, sig: toBase64(await s.sign(bytes)) });
  return { payloadType, payload: toBase64(payload), signatures };
}

/** Synchronous form for in-process keys, used on the appliance's hot paths. */
export function signEnvelopeSync(payloadType: string, payload: Uint8Array, signers: readonly SyncSigner[]): Envelope {
  if (signers.length === 0) throw fail('INPUT_INVALID', 'at least one signer is required', '/signers');
  const bytes = pae(payloadType, payload);
  return {
    payloadType,
    payload: toBase64(payload),
    signatures: signers.map((s) => ({ keyid: s.publicKey.id, sig: toBase64(s.signSync(bytes)) })),
  };
}

/** Canonicalizes a JSON value (RFC 8785) once, then signs those bytes. */
export function signJson(payloadType: string, value: unknown, signers: readonly Signer[]): Promise<Envelope> {
  return signEnvelope(payloadType, canonicalBytes(value), signers);
}

/** Synchronous signJson. */
export function signJsonSync(payloadType: string, value: unknown, signers: readonly SyncSigner[]): Envelope {
  return signEnvelopeSync(payloadType, canonicalBytes(value), signers);
}
