import { NexusError, fromUtf8 } from '@nexus-cos/sdk';
import type { ConsentRecord, ImvuRecord } from '../ports/registry.js';

/** The IMVU record an exit bundle carries (appliance/src/exit/sections/record.ts), as import reads it. */
export interface ImportedRecord {
  readonly row: ImvuRecord;
  readonly consents: readonly ConsentRecord[];
}

const FIELD = 'imvu/record.json';
const str = (x: unknown, field: string): string => {
  if (typeof x !== 'string' || x.length === 0 || x.length > 1024) throw new NexusError('BUNDLE_STATE_MISMATCH', 'expected a non-empty string', { field: `${FIELD}#/${field}` });
  return x;
};

/**
 * Reads `imvu/record.json`. The verifier already proved it names the chain's IMVU; the
 * fields are only checked for shape here, since the gates judge the owner, jurisdiction,
 * consents and pool exactly as they judge a creation.
 */
export function parseImportedRecord(bytes: Uint8Array, imvu: string): ImportedRecord {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(fromUtf8(bytes)) as Record<string, unknown>;
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the IMVU record is not JSON', { field: FIELD, cause });
  }
  if (r['id'] !== imvu) throw new NexusError('BUNDLE_STATE_MISMATCH', `the record is not of ${imvu}`, { field: `${FIELD}#/id` });
  const q = r['quotas'] as Record<string, unknown> | undefined;
  const quotas = { vcpus: q?.['vcpus'], memoryMiB: q?.['memoryMiB'], diskGiB: q?.['diskGiB'], vms: q?.['vms'] };
  for (const [k, v] of Object.entries(quotas)) {
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw new NexusError('BUNDLE_STATE_MISMATCH', 'a quota is a non-negative integer', { field: `${FIELD}#/quotas/${k}` });
  }
  const status = r['status'];
  if (status !== 'active' && status !== 'suspended') throw new NexusError('BUNDLE_STATE_MISMATCH', 'unknown IMVU status', { field: `${FIELD}#/status` });
  const row: ImvuRecord = {
    id: imvu, owner: str(r['owner'], 'owner'), jurisdiction: str(r['jurisdiction'], 'jurisdiction'), status,
    quotas: quotas as ImvuRecord['quotas'], storagePool: typeof r['storagePool'] === 'string' ? r['storagePool'] : '', createdAt: str(r['createdAt'], 'createdAt'),
  };
  const list = Array.isArray(r['consents']) ? (r['consents'] as Record<string, unknown>[]) : [];
  const consents = list.map((c, i): ConsentRecord => ({
    imvu, purpose: str(c['purpose'], `consents/${i}/purpose`), grantedBy: str(c['grantedBy'], `consents/${i}/grantedBy`), grantedAt: str(c['grantedAt'], `consents/${i}/grantedAt`),
    ...(c['withdrawnAt'] === undefined || c['withdrawnAt'] === null ? {} : { withdrawnAt: str(c['withdrawnAt'], `consents/${i}/withdrawnAt`) }),
  }));
  return { row, consents };
}
