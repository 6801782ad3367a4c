import { Type, type Static } from '@sinclair/typebox';
import { DidKey, Sha256Hex, assertSchema } from './common.js';

/** Media type of a signed API request's payload (spec/requests.md). */
export const REQUEST_MEDIA_TYPE = 'application/vnd.nexus-cos.request.v1+json';

/**
 * What a client signs for one HTTP request: the method, the path with its query, the
 * SHA-256 of the exact body bytes, who is asking, and a nonce with a short validity
 * window. Carried in the `Authorization: Nexus <base64url(envelope)>` header.
 */
export const SignedRequest = Type.Object(
  {
    v: Type.Literal(1),
    method: Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m))),
    path: Type.String({ pattern: '^/[\\x21-\\x7e]*$', maxLength: 2048 }),
    bodySha256: Sha256Hex,
    actor: DidKey,
    nonce: Type.String({ pattern: '^[A-Za-z0-9_-]{22,64}$' }),
    /** ms since the epoch */
    created: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    expires: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false, $id: 'SignedRequest', title: 'Signed request v1' },
);
export type SignedRequest = Static<typeof SignedRequest>;

/** Asserts `x` is a SignedRequest v1, without changing it. */
export function assertSignedRequestV1(x: unknown): asserts x is SignedRequest {
  assertSchema(SignedRequest, x, 'INPUT_INVALID');
}
