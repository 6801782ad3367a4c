import { Type, type Static } from '@sinclair/typebox';
import { Base64Bytes32, DidKey, Timestamp, assertSchema } from './common.js';

/** Media type of an Identity record. */
export const IDENTITY_MEDIA_TYPE = 'application/vnd.nexus-cos.identity.v1+json';
/** Media type of a KeyRotation payload. */
export const KEY_ROTATION_MEDIA_TYPE = 'application/vnd.nexus-cos.key-rotation.v1+json';

/** A raw 32-byte Ed25519 public key in canonical padded base64. */
export const Ed25519PublicKeyBase64 = Base64Bytes32;

/** Lifecycle state of a key: only `active` may act (gate 16). */
export const IdentityStatus = Type.Union([Type.Literal('active'), Type.Literal('rotated'), Type.Literal('revoked')]);
export type IdentityStatus = Static<typeof IdentityStatus>;

/**
 * A registered identity: one Ed25519 key named by its did:key. The raw key is repeated so
 * tools that do not parse did:key can still read it; verifiers check that both agree.
 */
export const Identity = Type.Object(
  {
    id: DidKey,
    publicKey: Ed25519PublicKeyBase64,
    createdAt: Timestamp,
    status: IdentityStatus,
    // Keys that may sign a rotation if this one is lost (gate 16).
    recoveryKeys: Type.Optional(Type.Array(DidKey, { minItems: 1, maxItems: 8, uniqueItems: true })),
    // Set once status leaves `active`, so a rotated key always points at its successor.
    successor: Type.Optional(DidKey),
    statusChangedAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false, $id: 'Identity', title: 'Identity v1' },
);
export type Identity = Static<typeof Identity>;

/** Which key signed a rotation: the outgoing key itself or one of its recovery keys. */
export const RotationSigner = Type.Union([Type.Literal('old'), Type.Literal('recovery')]);
export type RotationSigner = Static<typeof RotationSigner>;

/** A key rotation request (gate 16); the envelope must be signed by `oldKey` or a registered recovery key. */
export const KeyRotation = Type.Object(
  {
    oldKey: DidKey,
    newKey: DidKey,
    reason: Type.String({ minLength: 1, maxLength: 1024 }),
    signedBy: RotationSigner,
    time: Timestamp,
  },
  { additionalProperties: false, $id: 'KeyRotation', title: 'Key rotation v1' },
);
export type KeyRotation = Static<typeof KeyRotation>;

/** Asserts `x` is an Identity v1, without changing it. */
export function assertIdentityV1(x: unknown): asserts x is Identity {
  assertSchema(Identity, x, 'PAYLOAD_INVALID');
}

/** Asserts `x` is a KeyRotation v1, without changing it. */
export function assertKeyRotationV1(x: unknown): asserts x is KeyRotation {
  assertSchema(KeyRotation, x, 'PAYLOAD_INVALID');
}
