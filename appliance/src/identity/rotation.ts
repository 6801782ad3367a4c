import {
  KEY_ROTATION_MEDIA_TYPE,
  NexusError,
  TrustedKeys,
  assertKeyRotationV1,
  isNexusError,
  PublicKey,
  openJsonEnvelope,
  verifyEnvelope,
  type KeyRotation,
} from '@nexus-cos/sdk';

/** A rotation that verified, and which kind of key authorised it. */
export interface VerifiedRotation {
  readonly rotation: KeyRotation;
  readonly signedBy: 'old' | 'recovery';
}

const refuse = (message: string, field: string, cause?: unknown): NexusError =>
  new NexusError('GATE_KEY_LIFECYCLE', message, cause === undefined ? { field } : { field, cause });

/**
 * Gate 16's evidence: a KeyRotation envelope signed by the key being replaced or by one of
 * its registered recovery keys, and co-signed by the new key (proof of possession). The payload's own `signedBy` must say
 * which, and must match the key that actually signed; the service hands the result to the
 * gates instead of trusting a client's claim.
 */
export function verifyKeyRotation(envelope: unknown, current: PublicKey, recovery: readonly PublicKey[]): VerifiedRotation {
  let opened;
  try {
    opened = openJsonEnvelope(envelope, { trusted: new TrustedKeys([current, ...recovery]), payloadType: KEY_ROTATION_MEDIA_TYPE });
  } catch (cause) {
    throw refuse('the rotation is not signed by the old key or a recovery key', '/signatures', isNexusError(cause) ? cause : undefined);
  }
  const rotation = opened.value;
  assertKeyRotationV1(rotation);
  if (rotation.oldKey !== current.id) throw refuse('the rotation names another old key', '/oldKey');
  if (rotation.newKey === current.id) throw refuse('the new key is the old key', '/newKey');
  // Proof of possession of the new key: without it, anyone could rotate their identity onto
  // a key they do not hold (someone else's, or the platform's) and take its place.
  try {
    verifyEnvelope(envelope, { trusted: new TrustedKeys([PublicKey.fromDid(rotation.newKey, '/newKey')]), payloadType: KEY_ROTATION_MEDIA_TYPE });
  } catch (cause) {
    throw refuse('the new key did not co-sign the rotation', '/signatures', cause);
  }
  const byOld = opened.verified.signedBy.includes(current.id);
  const signedBy = byOld ? 'old' : 'recovery';
  if (rotation.signedBy !== signedBy) throw refuse(`signed by the ${signedBy} key, but the payload says ${rotation.signedBy}`, '/signedBy');
  return { rotation, signedBy };
}
