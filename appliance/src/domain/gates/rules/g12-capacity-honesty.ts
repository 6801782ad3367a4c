import type { GateResult } from '@nexus-cos/sdk';
import type { Gate, GateRequest } from '../types.js';
import { importWithinQuota } from './import-capacity.js';
import { clip, param, reasonProblem, verdicts } from './verdict.js';

const v = verdicts(12);

/** The sizes a VM asks for, each checked against the quota of the same name. */
export const VM_DIMENSIONS = ['vcpus', 'memoryMiB', 'diskGiB'] as const;
const NOTICED: ReadonlySet<string> = new Set(['quota.change', 'imvu.suspend', 'imvu.resume']);

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function vmWithinQuota(req: GateRequest): GateResult {
  const size = new Map<string, number>();
  for (const d of VM_DIMENSIONS) {
    const n = param(req.params, d);
    if (!isCount(n) || n === 0) return v.fail('VM_SIZE_INVALID', { dimension: d, requested: clip(n) });
    size.set(d, n);
  }
  const want = Object.fromEntries([...size].map(([d, n]) => [d, String(n)]));
  const quota = param(req.params, 'quota');
  if (quota === undefined) return v.pass({ ...want, quota: 'none given' });
  if (quota === null || typeof quota !== 'object') return v.fail('QUOTA_INVALID', { quota: clip(quota) });
  for (const d of VM_DIMENSIONS) {
    const limit = (quota as Record<string, unknown>)[d];
    if (limit === undefined) continue;
    if (!isCount(limit)) return v.fail('QUOTA_INVALID', { dimension: d, limit: clip(limit) });
    if ((size.get(d) ?? 0) > limit) return v.fail('QUOTA_EXCEEDED', { ...want, dimension: d, limit: String(limit) });
  }
  // The VM count: the quota given is what is left of it, so a new VM needs at least one.
  const vms = (quota as Record<string, unknown>).vms;
  if (vms !== undefined && !isCount(vms)) return v.fail('QUOTA_INVALID', { dimension: 'vms', limit: clip(vms) });
  if (vms === 0) return v.fail('QUOTA_EXCEEDED', { ...want, dimension: 'vms', limit: '0' });
  return v.pass({ ...want, quota: clip(quota) });
}

/**
 * Gate 12 (no silent throttling): suspensions and quota changes carry a stated reason, which
 * the gatekeeper writes as a signed notice to the IMVU's own log before the effect; a new VM
 * stays within the quota it is created under, and so do the VMs an import brings, together.
 */
export const capacityHonesty: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req) {
    if (req.action === 'vm.create') return vmWithinQuota(req);
    if (req.action === 'imvu.import') return importWithinQuota(v, req);
    if (!NOTICED.has(req.action)) return v.fail('UNHANDLED_ACTION', { action: clip(req.action) });
    const problem = reasonProblem(req.reason);
    const evidence = { reason: clip(req.reason ?? '') };
    return problem === undefined ? v.pass({ ...evidence, notice: 'IMVU log, before effect' }) : v.fail(problem, evidence);
  },
};
