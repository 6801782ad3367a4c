import { chmodSync, constants, copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError, isNexusError, sha256, toHex, type ImportedVmState } from '@nexus-cos/sdk';
import { startCursor } from '../domain/compute/meter.js';
import { hostName, vmResource } from '../domain/compute/names.js';
import { domainXml } from '../domain/compute/xml.js';
import type { ComputeWriter, VmRecord } from '../ports/compute-store.js';
import type { Caller } from '../services/api.js';
import { Undo, type ComputeDeps } from '../services/compute/deps.js';
import type { EffectItem } from '../services/effects.js';
import type { ImportedVm } from './compute.js';

/** What a VM import needs: B's compute deps, and the compute service's own (gated) start. */
export interface ComputeImportDeps extends Pick<ComputeDeps, 'hypervisor' | 'disks' | 'networks' | 'store' | 'poolDirs' | 'images' | 'consoleDir'> {
  start(c: Caller, imvu: string, name: string): Promise<unknown>;
  /** Gate 4: attaches the meters of VMs about to be imported while the import is judged; returns the detach. */
  attachPending(resources: readonly string[]): () => void;
}

/** One VM as planned on B: its host name, disk path and record. */
interface Planned {
  readonly vm: ImportedVm;
  readonly host: string;
  readonly disk: string;
}

const specPath = (name: string) => `compute/${name}/spec.json`;

/**
 * Re-instantiates the compute section on B, undoably. Before the commit: each disk is
 * written into the pool directory the import was admitted for (gate 14) and each VM defined
 * from its spec (`write`); inside the commit: the VM records and meter cursors (`register`)
 * with one `compute` entry per VM (`items`); after the commit: each VM is started through
 * the compute service (`start`), so a start is gated and audited like any other, and a
 * start failure is reported, not undone: the VM was imported, it did not boot.
 */
export class ComputeImport {
  readonly #undo = new Undo();
  #planned: Planned[] = [];

  constructor(private readonly d: ComputeImportDeps, private readonly vms: readonly ImportedVm[]) {}

  /** Refuses, before any effect, a VM name B already has or an image B's catalog lacks. */
  async assertFree(imvu: string): Promise<void> {
    for (const { spec } of this.vms) {
      const host = hostName(imvu, spec.name);
      if (this.d.store.vm(imvu, spec.name) !== undefined || (await this.d.hypervisor.status(host)) !== undefined) {
        throw new NexusError('CONFLICT', `a VM ${host} already exists on this appliance`, { field: specPath(spec.name) });
      }
      if (this.d.images[spec.image] === undefined) throw new NexusError('INPUT_INVALID', `no image ${spec.image} in this appliance's catalog`, { field: `${specPath(spec.name)}#/image` });
    }
  }

  /**
   * Writes each disk (never over an existing file) and defines each VM, on the imported
   * `network` when there is one (as `vm.create` attaches a VM when its IMVU has a network);
   * undone by `undo`.
   */
  async write(imvu: string, pool: string | undefined, network?: string): Promise<void> {
    const dir = pool === undefined ? undefined : this.d.poolDirs[pool];
    if (this.vms.length > 0 && dir === undefined) throw new NexusError('GATE_DATA_RESIDENCY', 'no storage pool directory of a compatible jurisdiction for the disks', { field: '/gates/14' });
    for (const vm of this.vms) {
      const host = hostName(imvu, vm.spec.name);
      const disk = join(dir as string, `${host}.qcow2`);
      if (existsSync(disk)) throw new NexusError('CONFLICT', 'a disk already exists at that path', { field: `compute/${vm.spec.name}/disk.qcow2` });
      this.#undo.push(() => this.d.disks.remove(disk));
      // Copied from the staged file, never over one (EXCL); world-readable like qemu-img's,
      // since QEMU runs as libvirt-qemu. copyFile streams in the kernel: memory stays flat.
      copyFileSync(vm.disk, disk, constants.COPYFILE_EXCL);
      chmodSync(disk, 0o644);
      const image = this.d.images[vm.spec.image];
      if (image === undefined) throw new NexusError('INPUT_INVALID', `no image ${vm.spec.image} in this appliance's catalog`, { field: `${specPath(vm.spec.name)}#/image` });
      const boot = image.kind === 'kernel' ? { kind: 'kernel' as const, kernel: image.kernel, initrd: image.initrd, cmdline: image.cmdline } : { kind: 'disk' as const };
      await this.d.hypervisor.define(domainXml({ name: host, spec: vm.spec, type: this.d.hypervisor.domainType, disk, boot, serialLog: join(this.d.consoleDir, `${host}.log`), ...(network === undefined ? {} : { network }) }));
      this.#undo.push(() => this.d.hypervisor.undefine(host, false));
      this.#planned.push({ vm, host, disk });
    }
  }

  /** The VM records and their meter cursors (gate 4: no VM without its meter). */
  register(w: ComputeWriter, imvu: string, pool: string, now: Date): void {
    for (const p of this.#planned) {
      const record: VmRecord = { imvu, spec: p.vm.spec, host: p.host, pool, disk: p.disk, state: 'defined', snapshots: [], createdAt: now.toISOString() };
      w.putVm(record);
      w.putCursor(vmResource(imvu, p.vm.spec.name), startCursor(now.getTime()));
    }
  }

  /** One `compute` entry per VM: created, its config the digest of the imported spec.json. */
  items(imvu: string, actor: string): EffectItem[] {
    return this.#planned.map((p) => ({ draft: { kind: 'compute', imvu, actor, vm: p.host, op: 'create', config: toHex(sha256(p.vm.specBytes)) } }));
  }

  /** Starts each imported VM through the compute service; a failure is reported by its code. */
  async start(c: Caller, imvu: string): Promise<ImportedVmState[]> {
    const out: ImportedVmState[] = [];
    for (const p of this.#planned) {
      try {
        await this.d.start(c, imvu, p.vm.spec.name);
        out.push({ name: p.vm.spec.name, state: 'running' });
      } catch (e) {
        out.push({ name: p.vm.spec.name, state: 'defined', error: isNexusError(e) ? e.code : 'INTERNAL' });
      }
    }
    return out;
  }

  /** Undefines the VMs and removes the disks written, newest first. */
  undo(): Promise<void> {
    return this.#undo.run();
  }
}
