// The services with compute wired as the composition root wires them, over a real ledger,
// registry and compute store in a temp dir, real qemu-img disks and a libvirt URI of the
// test's choosing (test:///default for fast tests, qemu:///system for real VMs).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LedgerEntry, LocalSigner } from '@nexus-cos/sdk';
import { CedarAuthorizer } from '../../../appliance/src/adapters/cedar/cedar-authorizer.js';
import { LibvirtHypervisor } from '../../../appliance/src/adapters/libvirt/libvirt-hypervisor.js';
import { VirshNftNetworkHost } from '../../../appliance/src/adapters/libvirt/network-host.js';
import type { NetworkHost } from '../../../appliance/src/ports/hypervisor.js';
import { QemuImgDisks } from '../../../appliance/src/adapters/libvirt/qemu-img-disks.js';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { SqliteComputeStore } from '../../../appliance/src/adapters/sqlite/compute-store.js';
import { SqliteLedgerStore } from '../../../appliance/src/adapters/sqlite/ledger-store.js';
import { GATES, GATE_ERROR_CODES } from '../../../appliance/src/domain/gates/rules/index.js';
import { Gatekeeper } from '../../../appliance/src/gatekeeper/gatekeeper.js';
import { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { readEntry } from '../../../appliance/src/ledger/read-entry.js';
import { systemClock } from '../../../appliance/src/ports/clock.js';
import { SqliteRegistry } from '../../../appliance/src/registry/sqlite-registry.js';
import type { Caller } from '../../../appliance/src/services/api.js';
import type { Compute, VmImage } from '../../../appliance/src/services/compute/index.js';
import { createServices, type Services } from '../../../appliance/src/services/index.js';
import { ORIGIN, platform } from '../../helpers/ledger.js';
import { POOLS, key, operator } from '../http/harness.js';

const authorizer = CedarAuthorizer.load(fileURLToPath(new URL('../../../appliance/policies/', import.meta.url)));

export { POOLS, key, operator };
export const runner = new ExecaRunner();

/** A caller whose request verified just now. */
export function caller(s: LocalSigner): Caller {
  const now = Date.now();
  return { actor: s.publicKey.id, proof: { signatureValid: true, created: now - 1000, expires: now + 59_000, replayed: false } };
}

export interface ComputeStack {
  readonly dir: string;
  readonly ledger: Ledger;
  readonly services: Services;
  readonly compute: Compute;
  readonly store: SqliteComputeStore;
  readonly hypervisor: LibvirtHypervisor;
  entries(imvu?: string): LedgerEntry[];
  close(): Promise<void>;
}

/** Builds the stack; `images` is the catalog, `uri` the libvirt connection, `networks` a stand-in network host. */
export function computeStack(uri: string, images: Record<string, VmImage>, given?: string, networks?: NetworkHost): ComputeStack {
  // A directory the caller gives outlives the stack (to reopen it: an appliance restart).
  const dir = given ?? mkdtempSync(join(tmpdir(), 'nexus-compute-'));
  const ledger = Ledger.open({ store: new SqliteLedgerStore(join(dir, 'ledger.sqlite')), signer: platform, origin: ORIGIN, clock: systemClock, checkpointIntervalMs: 1e12 });
  const registry = new SqliteRegistry(join(dir, 'registry.sqlite'));
  const store = new SqliteComputeStore(join(dir, 'compute.sqlite'));
  const hypervisor = new LibvirtHypervisor({ uri, domainType: 'qemu', runner });
  const poolDirs = Object.fromEntries(Object.keys(POOLS).map((p) => [p, join(dir, 'pools', p)]));
  for (const d of [...Object.values(poolDirs), join(dir, 'console')]) mkdirSync(d, { recursive: true, mode: 0o755 });
  let services: Services | undefined;
  const gatekeeper = new Gatekeeper({
    ledger, signer: platform, authorizer, gates: GATES, gateCodes: GATE_ERROR_CODES, clock: systemClock,
    facts: () => (services as Services).facts(),
  });
  services = createServices({
    ledger, gatekeeper, registry, platform, operators: [operator.publicKey.id], storagePools: POOLS, clock: systemClock,
    compute: { hypervisor, disks: new QemuImgDisks(runner), networks: networks ?? new VirshNftNetworkHost(runner, uri), store, poolDirs, images, consoleDir: join(dir, 'console') },
  });
  const compute = services.compute as Compute;
  return {
    dir, ledger, services, compute, store, hypervisor,
    entries: (imvu) => [...ledger.store.scan()].map(readEntry).filter((e) => imvu === undefined || e.imvu === imvu),
    close: async () => {
      compute.metering.stop();
      await hypervisor.close();
      await ledger.close();
      registry.close();
      store.close();
      if (given === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers `owner` and creates an IMVU for it in `jurisdiction` (pool chosen by tag). */
export async function ownedImvu(s: ComputeStack, owner: LocalSigner, jurisdiction = 'DE'): Promise<string> {
  if (s.services.identities.get(owner.publicKey.id) === undefined) {
    await s.services.identities.register(caller(owner), { jurisdiction, consents: ['identity.attributes'] });
  }
  return (await s.services.imvus.create(caller(owner), { jurisdiction, consents: ['identity.attributes'] })).id;
}
