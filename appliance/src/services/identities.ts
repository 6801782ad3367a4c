import {
  KEY_ROTATION_MEDIA_TYPE,
  NexusError,
  PublicKey,
  canonicalBytes,
  fromBase64,
  fromUtf8,
  sha256,
  toHex,
  type Envelope,
  type Identity,
} from '@nexus-cos/sdk';
import { verifyKeyRotation } from '../identity/rotation.js';
import { timestamp } from '../ports/clock.js';
import type { IdentityRecord } from '../ports/registry.js';
import type { Caller, IdentityService, RegisterIdentity } from './api.js';
import type { ServiceContext } from './context.js';
import { applyEffect, auditItem, consentItem, type EffectItem } from './effects.js';
import { assertReader } from './reads.js';
import { identityView } from './views.js';

const MAX_RECOVERY_KEYS = 8;

/** Each did:key must name a strictly valid Ed25519 key (DID_INVALID, KEY_* otherwise). */
function checkKeys(dids: readonly string[], field: string): void {
  dids.forEach((d, i) => PublicKey.fromDid(d, `${field}/${i}`));
}

/**
 * The `oldKey` a rotation names, read before verification only to pick the keys to verify
 * it with; verifyKeyRotation then checks the signed payload names the same key.
 */
function claimedOldKey(rotation: Envelope): string | undefined {
  try {
    const v = JSON.parse(fromUtf8(fromBase64(rotation.payload))) as { oldKey?: unknown } | null;
    return typeof v?.oldKey === 'string' ? v.oldKey : undefined;
  } catch {
    return undefined;
  }
}

/** Identities: register, rotate, revoke and add recovery keys, each through the gatekeeper. */
export class Identities implements IdentityService {
  constructor(private readonly x: ServiceContext) {}

  register(c: Caller, body: RegisterIdentity): Promise<Identity> {
    return this.x.serial.run(async () => {
      const recoveryKeys = [...(body.recoveryKeys ?? [])];
      checkKeys(recoveryKeys, '/recoveryKeys');
      if (recoveryKeys.includes(c.actor)) throw new NexusError('INPUT_INVALID', 'a key cannot be its own recovery key', { field: '/recoveryKeys' });
      if (this.x.registry.identity(c.actor) !== undefined) throw new NexusError('CONFLICT', 'this key is already registered', { field: '/actor' });
      if (this.#configured(c.actor)) throw new NexusError('CONFLICT', 'platform and operator keys are configured, not registered', { field: '/actor' });
      const admitted = await this.x.gatekeeper.admit({
        action: 'identity.register', actor: c.actor, resource: `identity:${c.actor}`, proof: c.proof,
        jurisdiction: body.jurisdiction, params: { consents: [...body.consents] },
      });
      const record: IdentityRecord = { did: c.actor, status: 'active', recoveryKeys, jurisdiction: body.jurisdiction, createdAt: timestamp(this.x.clock) };
      // Consents given at registration belong to no IMVU: they are logged in the platform chain.
      const items = [auditItem(admitted, null, c.actor), ...body.consents.map((p) => consentItem(null, c.actor, 'grant', p))];
      await applyEffect(this.x.registry, this.x.ledger, (w) => w.insertIdentity(record), items);
      return this.#view(c.actor);
    });
  }

  /**
   * The request's signer must be the key being rotated or one of its recovery keys (a
   * recovery key acts as a registered identity of its own, so gate 1 can judge it), and the
   * KeyRotation must verify under those keys; the server computes that, never the client.
   * The new key inherits the old one's IMVUs, delegations and recovery keys.
   */
  rotate(c: Caller, rotation: Envelope): Promise<Identity> {
    return this.x.serial.run(async () => {
      const old = this.x.registry.identity(claimedOldKey(rotation) ?? c.actor);
      if (old === undefined) throw new NexusError('NOT_FOUND', 'the rotation names no registered key', { field: '/rotation' });
      let verified: ReturnType<typeof verifyKeyRotation> | undefined;
      try {
        verified = verifyKeyRotation(rotation, PublicKey.fromDid(old.did), old.recoveryKeys.map((k) => PublicKey.fromDid(k)));
      } catch {
        verified = undefined;
      }
      const entitled = c.actor === old.did || old.recoveryKeys.includes(c.actor);
      const valid = verified !== undefined && entitled && old.status === 'active';
      if (verified !== undefined && valid) {
        PublicKey.fromDid(verified.rotation.newKey, '/rotation/newKey');
        if (this.#configured(verified.rotation.newKey)) throw new NexusError('CONFLICT', 'the new key is a platform or operator key', { field: '/rotation/newKey' });
        if (this.x.registry.identity(verified.rotation.newKey) !== undefined) throw new NexusError('CONFLICT', 'the new key is already registered', { field: '/rotation/newKey' });
      }
      const admitted = await this.x.gatekeeper.admit({
        action: 'identity.rotate', actor: c.actor, resource: `identity:${old.did}`, proof: c.proof,
        ...(verified === undefined ? {} : { reason: verified.rotation.reason }),
        params: { signedBy: verified?.signedBy ?? 'none', signatureValid: valid },
      });
      if (verified === undefined) throw new NexusError('GATE_KEY_LIFECYCLE', 'the rotation did not verify', { field: '/rotation' });
      const { newKey } = verified.rotation;
      const now = timestamp(this.x.clock);
      const bytes = canonicalBytes(rotation);
      const digest = toHex(sha256(bytes));
      const owned = this.x.registry.imvus().filter((i) => i.owner === old.did);
      const items: EffectItem[] = [
        { draft: { kind: 'key_rotation', imvu: null, actor: c.actor, oldKey: old.did, newKey, signedBy: verified.signedBy, envelope: digest }, documents: [{ digest, mediaType: KEY_ROTATION_MEDIA_TYPE, bytes }] },
        auditItem(admitted, null, c.actor),
        // Each IMVU the key owned records, in its own chain, that its owner changed.
        ...owned.map((i) => auditItem(admitted, i.id, c.actor)),
      ];
      await applyEffect(this.x.registry, this.x.ledger, (w) => {
        w.updateIdentity(old.did, { status: 'rotated', recoveryKeys: old.recoveryKeys, successor: newKey, statusChangedAt: now });
        w.insertIdentity({ did: newKey, status: 'active', recoveryKeys: old.recoveryKeys.filter((k) => k !== newKey), jurisdiction: old.jurisdiction, createdAt: now });
        for (const i of owned) w.updateImvu(i.id, { owner: newKey });
        w.moveDelegations(old.did, newKey);
      }, items);
      return this.#view(newKey);
    });
  }

  /** Revokes the caller's own key: the request, signed by that key, is the signed revocation. */
  revoke(c: Caller, reason: string): Promise<Identity> {
    return this.x.serial.run(async () => {
      const admitted = await this.x.gatekeeper.admit({
        action: 'identity.revoke', actor: c.actor, resource: `identity:${c.actor}`, proof: c.proof, reason,
        params: { signedBy: 'old', signatureValid: c.proof.signatureValid },
      });
      const me = this.#record(c.actor);
      await applyEffect(this.x.registry, this.x.ledger, (w) => {
        w.updateIdentity(c.actor, { status: 'revoked', recoveryKeys: me.recoveryKeys, statusChangedAt: timestamp(this.x.clock) });
      }, [auditItem(admitted, null, c.actor)]);
      return this.#view(c.actor);
    });
  }

  addRecovery(c: Caller, recoveryKey: string): Promise<Identity> {
    return this.x.serial.run(async () => {
      PublicKey.fromDid(recoveryKey, '/recoveryKey');
      const before = this.x.registry.identity(c.actor);
      if (before !== undefined) {
        if (recoveryKey === c.actor || before.recoveryKeys.includes(recoveryKey)) throw new NexusError('CONFLICT', 'already this key or one of its recovery keys', { field: '/recoveryKey' });
        if (before.recoveryKeys.length >= MAX_RECOVERY_KEYS) throw new NexusError('CONFLICT', `at most ${MAX_RECOVERY_KEYS} recovery keys`, { field: '/recoveryKey' });
      }
      const admitted = await this.x.gatekeeper.admit({
        action: 'identity.recovery.add', actor: c.actor, resource: `identity:${c.actor}`, proof: c.proof,
        params: { signedBy: 'old', signatureValid: c.proof.signatureValid },
      });
      const me = this.#record(c.actor);
      await applyEffect(this.x.registry, this.x.ledger, (w) => {
        w.updateIdentity(c.actor, { status: me.status, recoveryKeys: [...me.recoveryKeys, recoveryKey] });
      }, [auditItem(admitted, null, c.actor)]);
      return this.#view(c.actor);
    });
  }

  get(did: string): Identity | undefined {
    const r = this.x.registry.identity(did);
    return r === undefined ? undefined : identityView(r);
  }

  /**
   * `get` for a signed read: any fresh, verified request, even by a key not yet registered.
   * Recovery keys are shown only to the identity itself: to anyone else they would name the
   * keys to attack.
   */
  read(c: Caller, did: string): Identity {
    assertReader(c, this.x.facts(), true);
    const found = this.get(did);
    if (found === undefined) throw new NexusError('NOT_FOUND', 'no such identity', { field: '/did' });
    if (c.actor === did) return found;
    const { recoveryKeys: _hidden, ...rest } = found;
    return rest;
  }

  /** The platform's and the operators' keys: configuration decides them, never the registry. */
  #configured(did: string): boolean {
    const f = this.x.facts();
    return did === f.platform || f.operators.includes(did);
  }

  // Keys configured as operator or platform pass gate 1 without a registry record.
  #record(did: string): IdentityRecord {
    const r = this.x.registry.identity(did);
    if (r === undefined) throw new NexusError('NOT_FOUND', 'this key is not a registered identity', { field: '/actor' });
    return r;
  }

  #view(did: string): Identity {
    return identityView(this.#record(did));
  }
}
