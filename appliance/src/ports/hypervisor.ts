/** A domain's state and counters as the hypervisor reports them. */
export interface DomainStatus {
  readonly state: 'running' | 'shutoff' | 'paused' | 'other';
  /** The running domain's id; null when shut off. A new id means a new boot. */
  readonly id: number | null;
  readonly cpuTimeNs: bigint;
  readonly memoryKiB: number;
}

/** Bytes through a domain's interfaces since it booted. */
export interface InterfaceCounters {
  readonly rxBytes: bigint;
  readonly txBytes: bigint;
}

/**
 * Virtual machines on one hypervisor connection. Names are host-side names that already
 * passed the strict grammar; XML is built from validated specs. Failures are coded
 * NexusErrors (COMMAND_FAILED, HYPERVISOR_FAILED), never a status to forget.
 */
export interface Hypervisor {
  /** `qemu` (TCG) or `kvm`: what domains on this host are declared as. */
  readonly domainType: 'qemu' | 'kvm';
  define(xml: string): Promise<void>;
  start(name: string): Promise<void>;
  /** Asks the guest to power off (ACPI). */
  shutdown(name: string): Promise<void>;
  /** Pulls the plug. */
  destroy(name: string): Promise<void>;
  /** Removes the definition (and, with `withSnapshots`, its snapshots' metadata). */
  undefine(name: string, withSnapshots: boolean): Promise<void>;
  /** undefined when no such domain is defined. */
  status(name: string): Promise<DomainStatus | undefined>;
  /** The persistent (inactive) definition. */
  xml(name: string): Promise<string>;
  /** The definition without host-specific details (uuid, MACs, paths, labels), for export. */
  portableXml(name: string): Promise<string>;
  interfaceCounters(name: string): Promise<InterfaceCounters>;
  /** An internal qcow2 snapshot named `snapshot`. */
  snapshot(name: string, snapshot: string): Promise<void>;
  snapshots(name: string): Promise<string[]>;
  deleteSnapshot(name: string, snapshot: string): Promise<void>;
  close(): Promise<void>;
}

/** qcow2 disk files. */
export interface DiskStore {
  /** Creates a qcow2 of `sizeGiB` at `path` (over `backing` when given); refuses to overwrite. */
  create(path: string, sizeGiB: number, backing?: string): Promise<void>;
  /** Copies a disk as one standalone qcow2 (no backing chain), for export. */
  flatten(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
}

/** Isolated libvirt networks and the host firewall rules on their bridges. */
export interface NetworkHost {
  /** Defines and starts the network from its XML; idempotent for the same name. */
  ensureNetwork(name: string, xml: string): Promise<void>;
  removeNetwork(name: string): Promise<void>;
  /** Whether a network of that name is defined (active or not). */
  networkExists(name: string): Promise<boolean>;
  /** Replaces nftables table `table` atomically with `script` (an `nft -f` script). */
  applyRules(table: string, script: string): Promise<void>;
  /** `nft list table inet <table>`; empty when the table does not exist. */
  listRules(table: string): Promise<string>;
  removeRules(table: string): Promise<void>;
}
