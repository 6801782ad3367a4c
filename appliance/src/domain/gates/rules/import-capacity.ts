import type { GateResult } from '@nexus-cos/sdk';
import type { GateRequest } from '../types.js';
import { clip, param, type Verdicts } from './verdict.js';

// The dimensions an import's VMs add up in, each against the quota of the same name.
const DIMENSIONS = ['vms', 'vcpus', 'memoryMiB', 'diskGiB'] as const;

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/**
 * Gate 12 for `imvu.import`: the VMs a bundle brings (`params.compute`: their count and summed
 * sizes) fit the quota the IMVU will have on this appliance (`params.quota`, the record's), so
 * an import cannot hand an IMVU more capacity than its quota says, which `vm.create` would
 * refuse one VM at a time. An import without VMs passes with zero totals.
 */
export function importWithinQuota(v: Verdicts, req: GateRequest): GateResult {
  const compute = param(req.params, 'compute');
  const quota = param(req.params, 'quota');
  if (compute === null || typeof compute !== 'object') return v.fail('VM_SIZE_INVALID', { compute: clip(compute) });
  if (quota === null || typeof quota !== 'object') return v.fail('QUOTA_INVALID', { quota: clip(quota) });
  const want: Record<string, string> = {};
  for (const d of DIMENSIONS) {
    const n = (compute as Record<string, unknown>)[d];
    if (!isCount(n)) return v.fail('VM_SIZE_INVALID', { dimension: d, requested: clip(n) });
    want[d] = String(n);
  }
  for (const d of DIMENSIONS) {
    const limit = (quota as Record<string, unknown>)[d];
    if (!isCount(limit)) return v.fail('QUOTA_INVALID', { dimension: d, limit: clip(limit) });
    if (Number(want[d]) > limit) return v.fail('QUOTA_EXCEEDED', { ...want, dimension: d, limit: String(limit) });
  }
  return v.pass({ ...want, quota: clip(quota) });
}
