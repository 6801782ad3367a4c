import type { Compute, ComputeDeps } from '../services/compute/index.js';
import type { ComputeImportDeps } from './compute-effect.js';

/** What a VM import needs of the compute deps and service; none when compute is not configured. */
export function importComputeDeps(d: ComputeDeps | undefined, c: Compute | undefined): ComputeImportDeps | undefined {
  return d === undefined || c === undefined ? undefined : { ...d, start: (caller, imvu, name) => c.vms.start(caller, imvu, name), attachPending: (rs) => c.attachPending(rs) };
}
