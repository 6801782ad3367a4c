import { closeSync, openSync, readSync } from 'node:fs';
import { NexusError, canonicalBytes, fromUtf8 } from '@nexus-cos/sdk';
import { assertShortName } from '../domain/compute/names.js';
import { parseVmSpec, type VmSpec } from '../domain/compute/spec.js';

/** One VM of the bundle: its declared spec (exactly the create body) and its standalone disk. */
export interface ImportedVm {
  readonly spec: VmSpec;
  /** `compute/<vm>/spec.json` exactly as the bundle holds it (its digest is the VM's config). */
  readonly specBytes: Uint8Array;
  /** The staged file holding disk.qcow2 (the bundle streamed it there, never into memory). */
  readonly disk: string;
}

// spec/exit-bundle.md §2: compute/<vm>/{disk.qcow2,domain.xml,spec.json}.
const MEMBER = /^compute\/([^/]+)\/(disk\.qcow2|domain\.xml|spec\.json)$/;

/** Whether `path` is a member of the compute layout (anything else under compute/ is refused). */
export function isComputeMember(path: string): boolean {
  return MEMBER.test(path);
}

/**
 * Reads the bundle's compute section: each VM's spec.json (checked as a create body, and
 * canonical, so nothing is corrected before use) and disk.qcow2 (a standalone qcow2, see
 * `assertStandaloneQcow2`). domain.xml is not read: B defines each VM from its spec, with
 * B's own paths, image catalog and domain type, as B's compute service would.
 */
export function readCompute(files: ReadonlyMap<string, Uint8Array>, disks: ReadonlyMap<string, string>): ImportedVm[] {
  const names = new Set<string>();
  for (const p of [...files.keys(), ...disks.keys()]) {
    const m = MEMBER.exec(p);
    if (m !== null) names.add(m[1] as string);
  }
  return [...names].sort().map((name) => {
    const dir = `compute/${name}`;
    assertShortName(name, `${dir}/spec.json`);
    const specBytes = files.get(`${dir}/spec.json`);
    const disk = disks.get(`${dir}/disk.qcow2`);
    if (specBytes === undefined) throw new NexusError('BUNDLE_FILE_MISSING', 'a VM needs its spec', { field: `${dir}/spec.json` });
    if (disk === undefined) throw new NexusError('BUNDLE_FILE_MISSING', 'a VM needs its disk', { field: `${dir}/disk.qcow2` });
    const spec = specOf(`${dir}/spec.json`, specBytes);
    if (spec.name !== name) throw new NexusError('BUNDLE_STATE_MISMATCH', `the spec is not of VM ${name}`, { field: `${dir}/spec.json#/name` });
    assertStandaloneQcow2(disk, `${dir}/disk.qcow2`);
    return { spec, specBytes, disk };
  });
}

function specOf(path: string, bytes: Uint8Array): VmSpec {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the VM spec is not JSON', { field: path, cause });
  }
  let spec: VmSpec;
  try {
    spec = parseVmSpec(parsed);
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the VM spec is not a create body', { field: path, cause });
  }
  if (Buffer.compare(Buffer.from(canonicalBytes(spec)), Buffer.from(bytes)) !== 0) throw new NexusError('BUNDLE_STATE_MISMATCH', 'the VM spec is not in the canonical form the export writes', { field: path });
  return spec;
}

/**
 * A disk B may hand to QEMU: qcow2 magic, no backing file and no external data file. A
 * crafted header naming a backing file (say /etc/shadow) would otherwise make B's QEMU read
 * a host file into the guest.
 */
export function assertStandaloneQcow2(file: string, field: string): void {
  const head = new Uint8Array(512);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  assertStandaloneHeader(head.subarray(0, n), field);
}

/** The header check of `assertStandaloneQcow2`, on the image's first bytes. */
export function assertStandaloneHeader(b: Uint8Array, field: string): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.byteLength < 104 || v.getUint32(0) !== 0x514649fb) throw new NexusError('BUNDLE_STATE_MISMATCH', 'not a qcow2 image', { field });
  const version = v.getUint32(4);
  if (version !== 2 && version !== 3) throw new NexusError('BUNDLE_STATE_MISMATCH', 'not a qcow2 version 2 or 3 image', { field });
  if (v.getBigUint64(8) !== 0n || v.getUint32(16) !== 0) throw new NexusError('BUNDLE_STATE_MISMATCH', 'a qcow2 with a backing file is not standalone', { field });
  // Version 3, incompatible feature bit 2: the guest data lives in an external file.
  if (version === 3 && (v.getBigUint64(72) & 4n) !== 0n) throw new NexusError('BUNDLE_STATE_MISMATCH', 'a qcow2 with an external data file is not standalone', { field });
}
