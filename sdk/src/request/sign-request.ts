import { randomBytes } from 'node:crypto';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { toBase64Url } from '../encoding/base64.js';
import { toHex } from '../encoding/hex.js';
import { sha256 } from '../crypto/sha256.js';
import { signEnvelope } from '../sign/envelope.js';
import type { Signer } from '../sign/signer.js';
import { REQUEST_MEDIA_TYPE, type SignedRequest } from '../schemas/request.js';

/** The HTTP scheme name in `Authorization: Nexus <token>`. */
export const AUTH_SCHEME = 'Nexus';

/** Default validity of a signed request: long enough for a slow link, short enough to bound replay. */
export const DEFAULT_REQUEST_TTL_MS = 60_000;

/**
 * A body named by its SHA-256 instead of held in memory: a file of many GiB (an exit
 * bundle) is hashed as it streams, and the signature binds the same digest either way.
 */
export interface BodyDigest {
  readonly sha256: Uint8Array;
}

/** The digest a signed request binds: of the bytes, or the one already computed. */
export const bodyDigest = (body: Uint8Array | BodyDigest): Uint8Array => (body instanceof Uint8Array ? sha256(body) : body.sha256);

/** What to sign: method, path with query, and the exact body bytes that will be sent (or their digest). */
export interface RequestToSign {
  readonly method: SignedRequest['method'];
  readonly path: string;
  readonly body: Uint8Array | BodyDigest;
  readonly now?: number;
  readonly ttlMs?: number;
}

/**
 * Signs one API request on the client (spec/requests.md) and returns the Authorization
 * header value. The envelope binds the body by digest, so the server verifies the bytes it
 * received, never a re-serialization.
 */
export async function signRequest(signer: Signer, req: RequestToSign): Promise<string> {
  const created = req.now ?? Date.now();
  const payload: SignedRequest = {
    v: 1,
    method: req.method,
    path: req.path,
    bodySha256: toHex(bodyDigest(req.body)),
    actor: signer.publicKey.id,
    nonce: toBase64Url(randomBytes(18)),
    created,
    expires: created + (req.ttlMs ?? DEFAULT_REQUEST_TTL_MS),
  };
  const envelope = await signEnvelope(REQUEST_MEDIA_TYPE, canonicalBytes(payload), [signer]);
  return `${AUTH_SCHEME} ${toBase64Url(canonicalBytes(envelope))}`;
}
