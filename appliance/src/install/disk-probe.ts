import { NexusError } from '@nexus-cos/sdk';

/** One block device as `lsblk --json --paths -o NAME,TYPE,FSTYPE,PTTYPE,MOUNTPOINTS,RO` reports it. */
export interface BlockDevice {
  readonly name: string;
  readonly type: string;
  readonly fstype?: string | null;
  readonly pttype?: string | null;
  readonly mountpoints?: readonly (string | null)[];
  readonly ro?: boolean | string | number;
  readonly children?: readonly BlockDevice[];
}

/** What the installer learned about a disk before touching it. */
export interface DiskProbe {
  /** The disk and its partitions, from lsblk. */
  readonly device: BlockDevice;
  /** Signatures libblkid finds on the whole disk (`wipefs --no-act`): partition tables, filesystems, RAID. */
  readonly signatures: readonly string[];
}

const isTrue = (v: BlockDevice['ro']): boolean => v === true || v === 1 || v === '1' || v === 'true';

function* walk(d: BlockDevice): Generator<BlockDevice> {
  yield d;
  for (const c of d.children ?? []) yield* walk(c);
}

/** Everything on the disk that says it holds data, as short human-readable reasons. */
export function dataOnDisk(probe: DiskProbe): string[] {
  const reasons = probe.signatures.map((s) => `signature ${s}`);
  for (const d of walk(probe.device)) {
    if (d !== probe.device) reasons.push(`partition ${d.name}`);
    if (d.fstype) reasons.push(`${d.fstype} filesystem on ${d.name}`);
    if (d.pttype && d === probe.device) reasons.push(`${d.pttype} partition table`);
  }
  return [...new Set(reasons)];
}

/**
 * Decides whether the installer may erase this disk. Never: something that is not a whole
 * disk, a read-only one, or one with anything mounted (the running system, the live medium)
 * — `--force` does not change that. A disk that holds data (a partition table, a
 * filesystem, a partition) only with `--force`. Pure, so every case is unit-tested.
 */
export function judgeDisk(probe: DiskProbe, force: boolean): void {
  const d = probe.device;
  if (d.type !== 'disk') throw new NexusError('DISK_INVALID', `${d.name} is a ${d.type}, not a whole disk`, { field: '--disk' });
  if (isTrue(d.ro)) throw new NexusError('DISK_IN_USE', `${d.name} is read-only`, { field: '--disk' });
  const mounted = [...walk(d)].flatMap((x) => (x.mountpoints ?? []).filter((m): m is string => typeof m === 'string' && m !== '').map((m) => `${x.name} on ${m}`));
  if (mounted.length > 0) throw new NexusError('DISK_IN_USE', `${d.name} is in use (${mounted.join(', ')}); it cannot be installed to, even with --force`, { field: '--disk' });
  const data = dataOnDisk(probe);
  if (data.length > 0 && !force) {
    throw new NexusError('DISK_NOT_EMPTY', `${d.name} holds data (${data.join(', ')}); give --force to erase it`, { field: '--disk' });
  }
}

/** Reads lsblk's JSON for one disk; PAYLOAD_INVALID when it is not the shape lsblk writes. */
export function parseLsblk(json: string, disk: string): BlockDevice {
  const parsed = JSON.parse(json) as { blockdevices?: unknown };
  const list = parsed.blockdevices;
  const first = Array.isArray(list) ? (list[0] as BlockDevice | undefined) : undefined;
  if (first === undefined || typeof first.name !== 'string' || typeof first.type !== 'string') {
    throw new NexusError('PAYLOAD_INVALID', `lsblk reported nothing usable for ${disk}`, { field: '--disk' });
  }
  return first;
}

/** Reads `wipefs --no-act --json`'s signature types; empty output means none. */
export function parseWipefs(json: string): string[] {
  if (json.trim() === '') return [];
  const parsed = JSON.parse(json) as { signatures?: readonly { type?: unknown }[] };
  return (parsed.signatures ?? []).map((s) => String(s.type ?? 'unknown'));
}
