import { join } from 'node:path';
import { NexusError } from '@nexus-cos/sdk';
import { startCursor } from '../../domain/compute/meter.js';
import { hostName, vmResource } from '../../domain/compute/names.js';
import { headroom, usage } from '../../domain/compute/quota.js';
import { parseVmSpec } from '../../domain/compute/spec.js';
import { domainXml } from '../../domain/compute/xml.js';
import { networkNames } from '../../domain/network/names.js';
import type { Admitted } from '../../gatekeeper/gatekeeper.js';
import { timestamp } from '../../ports/clock.js';
import type { ComputeWriter, VmRecord } from '../../ports/compute-store.js';
import type { ImvuRecord } from '../../ports/registry.js';
import type { Caller } from '../api.js';
import { auditItem } from '../effects.js';
import { assertReader } from '../reads.js';
import { assertMaySee, maySee, requireImvu } from '../views.js';
import { Undo, type ComputeContext } from './deps.js';
import type { Metering } from './metering.js';

const SNAPSHOT = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * VMs: create, start, stop, snapshot, destroy. Each passes the gatekeeper first; each
 * effect on the hypervisor is undone if a later step (the ledger append included) fails,
 * so the ledger's audit entries name exactly what took effect.
 */
export class Vms {
  constructor(private readonly x: ComputeContext, private readonly metering: Metering) {}

  create(c: Caller, imvu: string, body: unknown): Promise<VmRecord> {
    return this.x.serial.run(async () => {
      const spec = parseVmSpec(body);
      const r = requireImvu(this.x.registry, imvu);
      const host = hostName(imvu, spec.name);
      const resource = vmResource(imvu, spec.name);
      const visible = maySee(this.x.facts(), this.x.registry, c.actor, r);
      if (visible && this.x.store.vm(imvu, spec.name) !== undefined) throw new NexusError('CONFLICT', `${imvu} already has a VM ${spec.name}`, { field: '/name' });
      const image = this.x.images[spec.image];
      if (visible && image === undefined) throw new NexusError('INPUT_INVALID', `no image ${spec.image} in the catalog`, { field: '/image' });
      const room = headroom(r.quotas, usage(this.x.store.vms(imvu).map((v) => v.spec)));
      // Gate 4: the meter is attached now and stored with the VM, so no VM exists unmetered.
      this.x.pendingMeters.add(resource);
      let admitted: Admitted;
      try {
        admitted = await this.x.gatekeeper.admit({
          action: 'vm.create', actor: c.actor, resource, imvu, proof: c.proof, storagePool: r.storagePool,
          params: { vcpus: spec.vcpus, memoryMiB: spec.memoryMiB, diskGiB: spec.diskGiB, quota: room, diskFormat: 'qcow2', image: spec.image },
        });
      } finally {
        this.x.pendingMeters.delete(resource);
      }
      const dir = this.x.poolDirs[r.storagePool];
      if (image === undefined || dir === undefined) throw new NexusError('CONFIG_INVALID', `pool ${r.storagePool} has no directory or image is missing`, { field: '/storagePool' });
      const disk = join(dir, `${host}.qcow2`);
      const network = this.x.store.network(imvu) === undefined ? {} : { network: networkNames(imvu).network };
      const record: VmRecord = { imvu, spec, host, pool: r.storagePool, disk, state: 'defined', snapshots: [], createdAt: timestamp(this.x.clock) };
      const undo = new Undo();
      try {
        await this.x.disks.create(disk, spec.diskGiB, image.kind === 'disk' ? image.base : undefined);
        undo.push(() => this.x.disks.remove(disk));
        const boot = image.kind === 'kernel' ? { kind: 'kernel' as const, kernel: image.kernel, initrd: image.initrd, cmdline: image.cmdline } : { kind: 'disk' as const };
        await this.x.hypervisor.define(domainXml({ name: host, spec, type: this.x.hypervisor.domainType, disk, boot, serialLog: this.consoleLog(host), ...network }));
        undo.push(() => this.x.hypervisor.undefine(host, false));
        await this.#commit(admitted, imvu, c.actor, (w) => {
          w.putVm(record);
          w.putCursor(resource, startCursor(this.x.clock.now().getTime()));
        });
      } catch (e) {
        await undo.run();
        throw e;
      }
      return record;
    });
  }

  start(c: Caller, imvu: string, name: string): Promise<VmRecord> {
    return this.#change(c, imvu, name, 'vm.start', async (v, undo) => {
      await this.x.hypervisor.start(v.host);
      undo.push(() => this.x.hypervisor.destroy(v.host));
      return { ...v, state: 'running' };
    });
  }

  /** Stops a VM: ACPI shutdown, or with `force` the plug pulled. Its usage so far is billed first. */
  stop(c: Caller, imvu: string, name: string, force = false): Promise<VmRecord> {
    return this.#change(c, imvu, name, 'vm.stop', async (v, undo) => {
      await this.metering.sampleOne(v);
      await (force ? this.x.hypervisor.destroy(v.host) : this.x.hypervisor.shutdown(v.host));
      undo.push(() => this.x.hypervisor.start(v.host));
      return { ...v, state: 'stopped' };
    });
  }

  snapshot(c: Caller, imvu: string, name: string, snapshot: string): Promise<VmRecord> {
    if (typeof snapshot !== 'string' || !SNAPSHOT.test(snapshot)) return Promise.reject(new NexusError('INPUT_INVALID', 'a snapshot name is 1-32 of a-z, 0-9, -', { field: '/snapshot' }));
    return this.#change(c, imvu, name, 'vm.snapshot', async (v, undo) => {
      if (v.snapshots.includes(snapshot)) throw new NexusError('CONFLICT', `snapshot ${snapshot} exists`, { field: '/snapshot' });
      await this.x.hypervisor.snapshot(v.host, snapshot);
      undo.push(() => this.x.hypervisor.deleteSnapshot(v.host, snapshot));
      return { ...v, snapshots: [...v.snapshots, snapshot] };
    }, (v) => ({ storagePool: v.pool, params: { diskFormat: 'qcow2' } }));
  }

  /** Removes a VM: billed to the last moment, powered off, undefined, its disk deleted last. */
  destroy(c: Caller, imvu: string, name: string): Promise<void> {
    return this.x.serial.run(async () => {
      const { v, admitted } = await this.#admit(c, imvu, name, 'vm.destroy');
      const xml = await this.x.hypervisor.xml(v.host);
      await this.metering.sampleOne(v);
      const status = await this.x.hypervisor.status(v.host);
      if (status?.state === 'running' || status?.state === 'paused') await this.x.hypervisor.destroy(v.host);
      await this.x.hypervisor.undefine(v.host, v.snapshots.length > 0);
      try {
        await this.#commit(admitted, imvu, c.actor, (w) => {
          w.deleteVm(imvu, name);
          w.deleteCursor(vmResource(imvu, name));
        });
      } catch (e) {
        // Not recorded, so not done: the VM comes back as it was (powered off).
        await this.x.hypervisor.define(xml).catch(() => undefined);
        throw e;
      }
      await this.x.disks.remove(v.disk);
    });
  }

  list(c: Caller, imvu: string): VmRecord[] {
    this.#assertRead(c, imvu);
    return this.x.store.vms(imvu);
  }

  get(c: Caller, imvu: string, name: string): VmRecord {
    this.#assertRead(c, imvu);
    return this.#require(imvu, name);
  }

  /** The file a VM's serial console is written to. */
  consoleLog(host: string): string {
    return join(this.x.consoleDir, `${host}.log`);
  }

  #assertRead(c: Caller, imvu: string): ImvuRecord {
    const facts = this.x.facts();
    assertReader(c, facts);
    const r = requireImvu(this.x.registry, imvu);
    assertMaySee(facts, this.x.registry, c.actor, r);
    return r;
  }

  #require(imvu: string, name: string): VmRecord {
    const v = this.x.store.vm(imvu, name);
    if (v === undefined) throw new NexusError('NOT_FOUND', `no VM ${name} in ${imvu}`, { field: '/name' });
    return v;
  }

  async #admit(c: Caller, imvu: string, name: string, action: string, extra?: (v: VmRecord) => object): Promise<{ v: VmRecord; admitted: Admitted }> {
    const r = requireImvu(this.x.registry, imvu);
    hostName(imvu, name);
    const v = this.x.store.vm(imvu, name);
    // Only those who may see the IMVU learn that a VM does not exist; others meet gate 2.
    if (v === undefined && maySee(this.x.facts(), this.x.registry, c.actor, r)) this.#require(imvu, name);
    const admitted = await this.x.gatekeeper.admit({ action, actor: c.actor, resource: vmResource(imvu, name), imvu, proof: c.proof, ...(v === undefined ? {} : extra?.(v)) });
    return { v: v ?? this.#require(imvu, name), admitted };
  }

  #change(c: Caller, imvu: string, name: string, action: string, effect: (v: VmRecord, undo: Undo) => Promise<VmRecord>, extra?: (v: VmRecord) => object): Promise<VmRecord> {
    return this.x.serial.run(async () => {
      const { v, admitted } = await this.#admit(c, imvu, name, action, extra);
      const undo = new Undo();
      try {
        const next = await effect(v, undo);
        await this.#commit(admitted, imvu, c.actor, (w) => w.putVm(next));
        return next;
      } catch (e) {
        await undo.run();
        throw e;
      }
    });
  }

  #commit(admitted: Admitted, imvu: string, actor: string, write: (w: ComputeWriter) => void): Promise<unknown> {
    return this.x.store.change(write, () => this.x.ledger.appendMany([auditItem(admitted, imvu, actor)]));
  }
}
