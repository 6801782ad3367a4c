import type { ComputeStore } from '../../ports/compute-store.js';
import type { DiskStore, Hypervisor, NetworkHost } from '../../ports/hypervisor.js';
import type { ServiceContext } from '../context.js';

/** A bootable image in the appliance's catalog; specs name images, never paths. */
export type VmImage =
  | { readonly kind: 'kernel'; readonly kernel: string; readonly initrd: string; readonly cmdline: string }
  | { readonly kind: 'disk'; readonly base: string };

/** What the compute services drive: the hypervisor, disks, networks and their own store. */
export interface ComputeDeps {
  readonly hypervisor: Hypervisor;
  readonly disks: DiskStore;
  readonly networks: NetworkHost;
  readonly store: ComputeStore;
  /** Storage pool name → the directory its disks live in (the pool's jurisdiction is in config.storagePools). */
  readonly poolDirs: Readonly<Record<string, string>>;
  readonly images: Readonly<Record<string, VmImage>>;
  /** Where each VM's serial console is written. */
  readonly consoleDir: string;
}

/** The service context plus the compute deps, and the meters attached but not yet stored. */
export type ComputeContext = ServiceContext & ComputeDeps & { readonly pendingMeters: Set<string> };

/** A step taken that can be taken back; undone in reverse order when a later step fails. */
export class Undo {
  readonly #steps: (() => Promise<unknown>)[] = [];

  push(step: () => Promise<unknown>): void {
    this.#steps.push(step);
  }

  /** Runs every undo step, newest first; one failing does not stop the others. */
  async run(): Promise<void> {
    for (const step of this.#steps.reverse()) await step().catch(() => undefined);
  }
}
