import { dirname } from 'node:path';
import { bytesSource, canonicalBytes, utf8, type BundleSource } from '@nexus-cos/sdk';
import type { ComputeStore } from '../../ports/compute-store.js';
import type { DiskStore, Hypervisor } from '../../ports/hypervisor.js';
import type { BundleSection } from '../section.js';
import { Snapshot, frozenSource } from '../snapshot.js';

/** What the compute section reads: the VM records, the disks, the hypervisor's definitions. */
export interface ComputeSectionDeps {
  readonly store: Pick<ComputeStore, 'vms'>;
  readonly disks: Pick<DiskStore, 'flatten'>;
  readonly hypervisor: Pick<Hypervisor, 'portableXml'>;
  /** Where a VM's disk is flattened before it streams; by default the disk's own pool directory, so the copy stays on storage of the IMVU's jurisdiction (gate 14). */
  readonly scratch?: string;
}

export const VM_SPEC_MEDIA_TYPE = 'application/json';
export const QCOW2_MEDIA_TYPE = 'application/x-qemu-disk';
export const DOMAIN_XML_MEDIA_TYPE = 'application/xml';

/**
 * Each VM of the IMVU: `compute/<vm>/spec.json` (the declared spec, exactly the create
 * body), `domain.xml` (the definition without host paths, UUID, MACs or labels) and
 * `disk.qcow2`, flattened into a private snapshot first (one standalone qcow2, no backing
 * chain) and streamed from there, never held in memory. One VM's copy at a time.
 */
export function computeSection(d: ComputeSectionDeps): BundleSection {
  return {
    name: 'compute',
    async *files(imvu: string): AsyncGenerator<BundleSource> {
      for (const v of d.store.vms(imvu)) {
        const dir = `compute/${v.spec.name}`;
        yield bytesSource(`${dir}/spec.json`, VM_SPEC_MEDIA_TYPE, canonicalBytes(v.spec));
        yield bytesSource(`${dir}/domain.xml`, DOMAIN_XML_MEDIA_TYPE, utf8(await d.hypervisor.portableXml(v.host)));
        const snap = await Snapshot.create(d.scratch ?? dirname(v.disk));
        try {
          const disk = snap.path('.qcow2');
          await d.disks.flatten(v.disk, disk);
          yield await frozenSource(`${dir}/disk.qcow2`, QCOW2_MEDIA_TYPE, disk);
        } finally {
          await snap.dispose();
        }
      }
    },
  };
}
