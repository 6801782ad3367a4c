/**
 * Metering arithmetic (pure). libvirt's counters (cpuTime, interface bytes) run from zero
 * at each boot of a VM; the appliance keeps, per VM, a cursor: the last counters it billed
 * and the sub-unit remainders it carried. Each sample bills only what is new since the
 * cursor, so a restart of the appliance (cursor reloaded from disk) or of the VM (counters
 * reset, seen as a new boot) never counts anything twice.
 */

/** Raw counters of one VM at one instant. */
export interface Sample {
  /** Changes whenever the counters restart from zero (a new boot of the domain). */
  readonly boot: string;
  readonly at: number;
  readonly running: boolean;
  readonly cpuTimeNs: bigint;
  readonly rxBytes: bigint;
  readonly txBytes: bigint;
  readonly memoryMiB: number;
  readonly diskGiB: number;
}

/** What has been billed for one VM so far, and the remainders not yet worth a whole unit. */
export interface Cursor {
  readonly seq: number;
  readonly boot: string;
  readonly at: number;
  readonly cpuTimeNs: bigint;
  readonly rxBytes: bigint;
  readonly txBytes: bigint;
  /** Remainders: nanoseconds of CPU, MiB·ms of memory, GiB·ms of disk. */
  readonly carryCpuNs: bigint;
  readonly carryMemMiBMs: bigint;
  readonly carryDiskGiBMs: bigint;
}

/** Whole units billed by one sample. */
export interface Usage {
  readonly vcpuSeconds: bigint;
  readonly memoryMiBSeconds: bigint;
  readonly diskGiBHours: bigint;
  readonly rxBytes: bigint;
  readonly txBytes: bigint;
}

/** The meters, their units and how a Usage names them: one usage event per non-zero meter. */
export const METERS = [
  { meter: 'vm.vcpu_seconds', unit: 'vcpu-second', key: 'vcpuSeconds' },
  { meter: 'vm.memory_mib_seconds', unit: 'mib-second', key: 'memoryMiBSeconds' },
  { meter: 'vm.disk_gib_hours', unit: 'gib-hour', key: 'diskGiBHours' },
  { meter: 'vm.net_rx_bytes', unit: 'byte', key: 'rxBytes' },
  { meter: 'vm.net_tx_bytes', unit: 'byte', key: 'txBytes' },
] as const;

const NS_PER_S = 1_000_000_000n;
const MS_PER_S = 1000n;
const MS_PER_H = 3_600_000n;

/** The cursor of a VM that has just been created: nothing billed, counters not yet seen. */
export function startCursor(at: number): Cursor {
  return { seq: 0, boot: '', at, cpuTimeNs: 0n, rxBytes: 0n, txBytes: 0n, carryCpuNs: 0n, carryMemMiBMs: 0n, carryDiskGiBMs: 0n };
}

// New since the cursor: the difference on the same boot, the whole counter on a new one
// (a counter that went down also means it restarted).
function fresh(sameBoot: boolean, now: bigint, then: bigint): bigint {
  return sameBoot && now >= then ? now - then : now;
}

/** Bills `s` against `c`: the usage in whole units, and the cursor to store with it. */
export function advance(c: Cursor, s: Sample): { usage: Usage; cursor: Cursor } {
  const sameBoot = s.boot === c.boot && s.cpuTimeNs >= c.cpuTimeNs;
  const elapsedMs = BigInt(Math.max(0, Math.trunc(s.at - c.at)));
  const cpu = c.carryCpuNs + fresh(sameBoot, s.cpuTimeNs, c.cpuTimeNs);
  // Memory is held while the domain runs; the disk is held as long as the VM exists.
  const mem = c.carryMemMiBMs + (s.running ? BigInt(s.memoryMiB) * elapsedMs : 0n);
  const disk = c.carryDiskGiBMs + BigInt(s.diskGiB) * elapsedMs;
  const usage: Usage = {
    vcpuSeconds: cpu / NS_PER_S,
    memoryMiBSeconds: mem / MS_PER_S,
    diskGiBHours: disk / MS_PER_H,
    rxBytes: fresh(sameBoot, s.rxBytes, c.rxBytes),
    txBytes: fresh(sameBoot, s.txBytes, c.txBytes),
  };
  const cursor: Cursor = {
    seq: c.seq + 1, boot: s.boot, at: s.at, cpuTimeNs: s.cpuTimeNs, rxBytes: s.rxBytes, txBytes: s.txBytes,
    carryCpuNs: cpu % NS_PER_S, carryMemMiBMs: mem % MS_PER_S, carryDiskGiBMs: disk % MS_PER_H,
  };
  return { usage, cursor };
}
