import type { VmSpec } from './spec.js';

/** An IMVU's compute quotas, as the registry keeps them. */
export interface ComputeQuota {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  readonly vms: number;
}

type Sized = Pick<VmSpec, 'vcpus' | 'memoryMiB' | 'diskGiB'>;

/** What the IMVU's existing VMs hold (defined VMs count whether running or not: honest capacity). */
export function usage(vms: readonly Sized[]): ComputeQuota {
  return vms.reduce<ComputeQuota>(
    (u, v) => ({ vcpus: u.vcpus + v.vcpus, memoryMiB: u.memoryMiB + v.memoryMiB, diskGiB: u.diskGiB + v.diskGiB, vms: u.vms + 1 }),
    { vcpus: 0, memoryMiB: 0, diskGiB: 0, vms: 0 },
  );
}

/**
 * What is left of `quota` after `used`, never below zero: the limit gate 12 judges a new
 * VM against, so one request cannot exceed the quota by adding to what already runs.
 */
export function headroom(quota: ComputeQuota, used: ComputeQuota): ComputeQuota {
  const left = (k: keyof ComputeQuota): number => Math.max(0, quota[k] - used[k]);
  return { vcpus: left('vcpus'), memoryMiB: left('memoryMiB'), diskGiB: left('diskGiB'), vms: left('vms') };
}
