import type { ServiceContext } from '../context.js';
import type { ComputeDeps } from './deps.js';
import { exportVm } from './export.js';
import { Metering } from './metering.js';
import { Networks } from './networks.js';
import { Vms } from './vms.js';
import type { Caller } from '../api.js';

/** The compute services over one context: VMs, networks, metering and export. */
export function createCompute(ctx: ServiceContext, deps: ComputeDeps, pendingMeters: Set<string>) {
  const x = { ...ctx, ...deps, pendingMeters };
  const metering = new Metering(x);
  return {
    vms: new Vms(x, metering),
    networks: new Networks(x),
    metering,
    exportVm: (c: Caller, imvu: string, name: string, dir: string) => exportVm(x, c, imvu, name, dir),
    /** Attaches meters to VMs about to be created elsewhere (an import) while gate 4 judges; the returned call detaches them. */
    attachPending: (resources: readonly string[]): (() => void) => {
      for (const r of resources) pendingMeters.add(r);
      return () => resources.forEach((r) => pendingMeters.delete(r));
    },
  };
}

/** The compute services as createCompute builds them. */
export type Compute = ReturnType<typeof createCompute>;
export type { ComputeDeps, VmImage } from './deps.js';
export { USAGE_SOURCE } from './metering.js';
