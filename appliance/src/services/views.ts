import { NexusError, PublicKey, type Identity, type Imvu } from '@nexus-cos/sdk';
import type { GateFacts } from '../domain/gates/types.js';
import type { IdentityRecord, ImvuRecord, Registry } from '../ports/registry.js';

/** The most consents an Imvu record carries (its schema's limit): the latest ones. */
const MAX_CONSENTS = 1024;

/** The wire form of an identity record. */
export function identityView(r: IdentityRecord): Identity {
  return {
    id: r.did, publicKey: PublicKey.fromDid(r.did).toBase64(), createdAt: r.createdAt, status: r.status,
    ...(r.recoveryKeys.length === 0 ? {} : { recoveryKeys: [...r.recoveryKeys] }),
    ...(r.successor === undefined ? {} : { successor: r.successor }),
    ...(r.statusChangedAt === undefined ? {} : { statusChangedAt: r.statusChangedAt }),
  };
}

/** The wire form of an IMVU record, with its consent history. */
export function imvuView(registry: Registry, r: ImvuRecord): Imvu {
  const consents = registry.consents(r.id).slice(-MAX_CONSENTS).map((c) => ({
    purpose: c.purpose, grantedBy: c.grantedBy, grantedAt: c.grantedAt, ...(c.withdrawnAt === undefined ? {} : { withdrawnAt: c.withdrawnAt }),
  }));
  return {
    id: r.id, owner: r.owner, jurisdiction: r.jurisdiction, status: r.status, createdAt: r.createdAt,
    resources: { domains: [], mailboxes: [], vms: [], networks: [] }, quotas: { ...r.quotas }, consents,
  };
}

/** The IMVU, or NOT_FOUND. */
export function requireImvu(registry: Registry, id: string): ImvuRecord {
  const r = registry.imvu(id);
  if (r === undefined) throw new NexusError('NOT_FOUND', `no IMVU ${id}`, { field: '/id' });
  return r;
}

/** True when `actor` may read the IMVU: its owner, a delegate, an operator or the platform. */
export function maySee(facts: GateFacts, registry: Registry, actor: string, r: ImvuRecord): boolean {
  return r.owner === actor || actor === facts.platform || facts.operators.includes(actor) || registry.delegation(r.id, actor).length > 0;
}

/** Throws gate 2's code unless `actor` may read the IMVU. */
export function assertMaySee(facts: GateFacts, registry: Registry, actor: string, r: ImvuRecord): void {
  if (!maySee(facts, registry, actor, r)) throw new NexusError('GATE_RESOURCE_BINDING', `${r.id} is not bound to the caller`, { field: '/id' });
}
