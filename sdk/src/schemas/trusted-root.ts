import { Type, type Static } from '@sinclair/typebox';
import { DidKey, Timestamp, assertSchema } from './common.js';
import { LogOrigin } from './merkle.js';

/** Media type of the trust anchor file a verifier is handed (cf. Sigstore's trusted_root.json). */
export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.nexus-cos.trusted-root.v1+json';

/**
 * What an offline verifier trusts: the log's origin (the first line of its checkpoints)
 * and the platform keys, each with the name it signs notes under. The same keys verify
 * DSSE envelopes by their did:key. A key is trusted only for what it signed within its
 * validity period, `validFrom` up to (excluding) `validUntil`; a key without `validFrom`
 * (a root written before periods existed) is trusted from the beginning, and one without
 * `validUntil` is the current key.
 */
export const TrustedRoot = Type.Object(
  {
    mediaType: Type.Literal(TRUSTED_ROOT_MEDIA_TYPE),
    origin: LogOrigin,
    keys: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x2a\\x2c-\\x7e]+$' }),
          publicKey: DidKey,
          validFrom: Type.Optional(Timestamp),
          validUntil: Type.Optional(Timestamp),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 64 },
    ),
  },
  { additionalProperties: false, $id: 'TrustedRoot', title: 'Trusted root v1' },
);
export type TrustedRoot = Static<typeof TrustedRoot>;

/** Asserts `x` is a TrustedRoot v1, without changing it. */
export function assertTrustedRootV1(x: unknown): asserts x is TrustedRoot {
  assertSchema(TrustedRoot, x, 'TRUST_ROOT_INVALID');
}
