import type { Cursor } from '../domain/compute/meter.js';
import type { NetworkPolicy } from '../domain/network/policy.js';
import type { VmSpec } from '../domain/compute/spec.js';

/** A VM as the appliance keeps it: the declared spec and where its data lives. */
export interface VmRecord {
  readonly imvu: string;
  readonly spec: VmSpec;
  /** The host-side (libvirt) name. */
  readonly host: string;
  readonly pool: string;
  readonly disk: string;
  readonly state: 'defined' | 'running' | 'stopped';
  /** Internal qcow2 snapshots taken, oldest first. */
  readonly snapshots: readonly string[];
  readonly createdAt: string;
}

/** An IMVU's network and the policy declared for it (its digest is in the ledger's notice). */
export interface NetworkRecord {
  readonly imvu: string;
  readonly policy: NetworkPolicy;
  readonly declared: string;
  readonly updatedAt: string;
}

/** The writes of one compute change; applied together or not at all. */
export interface ComputeWriter {
  putVm(v: VmRecord): void;
  deleteVm(imvu: string, name: string): void;
  /** The meter cursor of a VM (resource `vm:IMVU/name`); set at create, advanced per sample. */
  putCursor(resource: string, c: Cursor): void;
  deleteCursor(resource: string): void;
  putNetwork(n: NetworkRecord): void;
}

/**
 * VMs, networks and meter cursors. Like the registry, a change commits only after the
 * caller's durable step (its ledger entries) succeeded, so state and ledger agree.
 */
export interface ComputeStore {
  vm(imvu: string, name: string): VmRecord | undefined;
  vms(imvu?: string): VmRecord[];
  cursor(resource: string): Cursor | undefined;
  network(imvu: string): NetworkRecord | undefined;
  change<T>(write: (w: ComputeWriter) => void, durable: () => Promise<T>): Promise<T>;
  close(): void;
}
