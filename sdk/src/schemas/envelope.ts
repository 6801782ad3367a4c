import { Type, type Static } from '@sinclair/typebox';
import { Base64 } from './common.js';

/** Media type of a DSSE envelope carried as JSON. */
export const ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';

/** One signature in an envelope: the signer's key id (its did:key) and the base64 signature. */
export const EnvelopeSignature = Type.Object(
  {
    keyid: Type.String({ minLength: 1, maxLength: 256 }),
    sig: Base64,
  },
  { additionalProperties: false },
);
export type EnvelopeSignature = Static<typeof EnvelopeSignature>;

/**
 * A DSSE v1 envelope: the exact payload bytes (base64), the media type they claim, and
 * signatures over PAE(payloadType, payload). Verifiers never re-serialize the payload.
 */
export const Envelope = Type.Object(
  {
    payloadType: Type.String({ minLength: 1, maxLength: 256 }),
    payload: Base64,
    signatures: Type.Array(EnvelopeSignature, { minItems: 1, maxItems: 16 }),
  },
  { additionalProperties: false, $id: 'Envelope', title: 'DSSE envelope v1' },
);
export type Envelope = Static<typeof Envelope>;
