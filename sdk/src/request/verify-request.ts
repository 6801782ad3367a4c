import { fromBase64Url } from '../encoding/base64.js';
import { fromUtf8, bytesEqual } from '../encoding/utf8.js';
import { fromHex } from '../encoding/hex.js';
import { fail } from '../errors/index.js';
import { PublicKey } from '../identity/public-key.js';
import { REQUEST_MEDIA_TYPE, assertSignedRequestV1, type SignedRequest } from '../schemas/request.js';
import { openJsonEnvelope } from '../verify/envelope.js';
import { TrustedKeys } from '../verify/trust.js';
import { AUTH_SCHEME, bodyDigest, type BodyDigest } from './sign-request.js';

/** What the server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** The exact bytes that arrived, or their digest when the receiver streamed them to disk. */
  readonly body: Uint8Array | BodyDigest;
  readonly authorization: string | undefined;
}

/**
 * Verifies a signed request's envelope, strictly and before reading what it signs: the
 * signature must be by the key the payload names as actor (which is also the proof of
 * possession at registration), and method, path and body digest must match what arrived.
 * Freshness, replay and key status are the caller's (gate 1) to judge from the result.
 */
export function verifyRequest(req: ReceivedRequest): SignedRequest {
  const header = req.authorization ?? '';
  const prefix = `${AUTH_SCHEME} `;
  if (!header.startsWith(prefix) || header.length > 16_384) throw fail('SIGNATURE_UNTRUSTED', 'missing or malformed Authorization: Nexus header', '/headers/authorization');
  let envelope: unknown;
  try {
    envelope = JSON.parse(fromUtf8(fromBase64Url(header.slice(prefix.length), '/headers/authorization')));
  } catch (cause) {
    throw fail('ENVELOPE_MALFORMED', 'the Authorization token is not an envelope', '/headers/authorization', cause);
  }
  const keyid = (envelope as { signatures?: { keyid?: unknown }[] } | null)?.signatures?.[0]?.keyid;
  if (typeof keyid !== 'string') throw fail('ENVELOPE_MALFORMED', 'the envelope names no signer', '/headers/authorization');
  // The key is taken from the signature's own keyid (a did:key), then must equal the actor
  // the verified payload names: the request proves possession of that key.
  const key = PublicKey.fromDid(keyid, '/headers/authorization');
  const { value } = openJsonEnvelope(envelope, { trusted: new TrustedKeys([key]), payloadType: REQUEST_MEDIA_TYPE });
  assertSignedRequestV1(value);
  if (value.actor !== key.id) throw fail('SIGNATURE_UNTRUSTED', 'the request is not signed by its actor', '/actor');
  if (value.method !== req.method) throw fail('SIGNATURE_INVALID', 'signed for another method', '/method');
  if (value.path !== req.path) throw fail('SIGNATURE_INVALID', 'signed for another path', '/path');
  if (!bytesEqual(fromHex(value.bodySha256), bodyDigest(req.body))) throw fail('SIGNATURE_INVALID', 'signed for another body', '/body');
  return value;
}
