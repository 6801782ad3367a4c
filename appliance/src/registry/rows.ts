import type { ConsentRecord, IdentityRecord, ImvuRecord } from '../ports/registry.js';

/** Row shapes as SQLite returns them, and their mapping to records. */
export interface IdentityRow { did: string; status: string; successor: string | null; recovery_keys: string; jurisdiction: string; created_at: string; status_changed_at: string | null }
export interface ImvuRow { n: number; id: string; owner: string; jurisdiction: string; status: string; quotas: string; storage_pool: string; created_at: string }
export interface ConsentRow { imvu: string; purpose: string; granted_by: string; granted_at: string; withdrawn_at: string | null }

// The CHECK constraints in schema.ts guarantee the status values these casts name.
export function identityOf(r: IdentityRow): IdentityRecord {
  return {
    did: r.did, status: r.status as IdentityRecord['status'], recoveryKeys: JSON.parse(r.recovery_keys) as string[],
    jurisdiction: r.jurisdiction, createdAt: r.created_at,
    ...(r.successor === null ? {} : { successor: r.successor }),
    ...(r.status_changed_at === null ? {} : { statusChangedAt: r.status_changed_at }),
  };
}

export function imvuOf(r: ImvuRow): ImvuRecord {
  return {
    id: r.id, owner: r.owner, jurisdiction: r.jurisdiction, status: r.status as ImvuRecord['status'],
    quotas: JSON.parse(r.quotas) as ImvuRecord['quotas'], storagePool: r.storage_pool, createdAt: r.created_at,
  };
}

export function consentOf(r: ConsentRow): ConsentRecord {
  return {
    imvu: r.imvu, purpose: r.purpose, grantedBy: r.granted_by, grantedAt: r.granted_at,
    ...(r.withdrawn_at === null ? {} : { withdrawnAt: r.withdrawn_at }),
  };
}

/** `IMVU-` and at least three digits: IMVU-001 ... IMVU-999, IMVU-1000 ... */
export function imvuId(n: number): string {
  return `IMVU-${String(n).padStart(3, '0')}`;
}
