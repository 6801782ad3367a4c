// The whole stack in one process, as the composition root wires it: a real ledger and
// registry in a temp dir, the real Cedar policies, the gatekeeper, the services and the
// fastify server; requests signed with the SDK and sent through inject().
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalSigner, canonicalBytes, signRequest, type LedgerEntry, type Signer } from '@nexus-cos/sdk';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CedarAuthorizer } from '../../../appliance/src/adapters/cedar/cedar-authorizer.js';
import { SqliteLedgerStore } from '../../../appliance/src/adapters/sqlite/ledger-store.js';
import { LibvirtHypervisor } from '../../../appliance/src/adapters/libvirt/libvirt-hypervisor.js';
import { VirshNftNetworkHost } from '../../../appliance/src/adapters/libvirt/network-host.js';
import { QemuImgDisks } from '../../../appliance/src/adapters/libvirt/qemu-img-disks.js';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { SqliteComputeStore } from '../../../appliance/src/adapters/sqlite/compute-store.js';
import { GATES, GATE_ERROR_CODES } from '../../../appliance/src/domain/gates/rules/index.js';
import { Gatekeeper } from '../../../appliance/src/gatekeeper/gatekeeper.js';
import { buildServer } from '../../../appliance/src/http/server.js';
import { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { readEntry } from '../../../appliance/src/ledger/read-entry.js';
import { systemClock } from '../../../appliance/src/ports/clock.js';
import { SqliteRegistry } from '../../../appliance/src/registry/sqlite-registry.js';
import { createServices, type DnsDeps, type Services } from '../../../appliance/src/services/index.js';
import type { VmImage } from '../../../appliance/src/services/compute/index.js';
import { fakeDnsDeps } from '../../helpers/fake-dns.js';
import { SqliteMailDirectory } from '../../../appliance/src/adapters/sqlite/mail-directory.js';
import { ORIGIN, platform } from '../../helpers/ledger.js';
import { readPolicyDir } from '../../../appliance/src/adapters/cedar/policy-files.js';
import { bundleSections } from '../../../appliance/src/exit/sections/all.js';
import type { BundleSection } from '../../../appliance/src/exit/section.js';
import { tempDir } from '../../helpers/tmp.js';

const POLICY_DIR = fileURLToPath(new URL('../../../appliance/policies/', import.meta.url));
const authorizer = CedarAuthorizer.load(POLICY_DIR);

/** A key from a one-byte seed (9 is the platform key of test/helpers/ledger.ts). */
export const key = (n: number): LocalSigner => LocalSigner.fromSeed(new Uint8Array(32).fill(n));
export const operator = key(60);
export const POOLS = { 'pool-de': 'DE', 'pool-eu': 'EU', 'pool-us': 'US' };
export const REASON = 'abuse report #1234 confirmed';

export interface Stack {
  readonly app: FastifyInstance;
  readonly ledger: Ledger;
  readonly registry: SqliteRegistry;
  readonly services: Services;
  readonly dir: string;
  close(): Promise<void>;
  /** The compute adapters and the mail directory the services run on (exit sections read them). */
  readonly compute?: { readonly store: SqliteComputeStore; readonly disks: QemuImgDisks; readonly hypervisor: LibvirtHypervisor };
  readonly mailDirectory?: SqliteMailDirectory;
}

/** Builds the stack over fresh files in a temp dir. */
export async function stack(opts: { bodyLimit?: number; logger?: Parameters<typeof buildServer>[0]['logger']; dns?: DnsDeps; extraSections?: readonly BundleSection[]; noCompute?: boolean; networkUri?: string; libvirtUri?: string; images?: Readonly<Record<string, VmImage>> } = {}): Promise<Stack> {
  const dir = tempDir('nexus-http-');
  const ledger = Ledger.open({ store: new SqliteLedgerStore(join(dir, 'ledger.sqlite')), signer: platform, origin: ORIGIN, clock: systemClock, checkpointIntervalMs: 1e12 });
  const registry = new SqliteRegistry(join(dir, 'registry.sqlite'));
  let services: Services | undefined;
  const gatekeeper = new Gatekeeper({
    ledger, signer: platform, authorizer, gates: GATES, gateCodes: GATE_ERROR_CODES, clock: systemClock,
    facts: () => (services as Services).facts(),
  });
  const dns = opts.dns ?? fakeDnsDeps();
  // Compute on libvirt's in-process test driver: the VM and network routes exist and are gated.
  const runner = new ExecaRunner();
  // `libvirtUri` (qemu:///system) with a real `images` catalog boots real VMs (test/appliance/import/vm-boot.test.ts).
  const hypervisor = new LibvirtHypervisor({ uri: opts.libvirtUri ?? 'test:///default', domainType: 'qemu', runner });
  const compute = {
    hypervisor, disks: new QemuImgDisks(runner), networks: new VirshNftNetworkHost(runner, opts.networkUri ?? opts.libvirtUri ?? 'test:///default'), store: new SqliteComputeStore(join(dir, 'compute.sqlite')),
    poolDirs: { 'pool-de': dir, 'pool-eu': dir, 'pool-us': dir }, images: opts.images ?? { tiny: { kind: 'kernel' as const, kernel: '/nonexistent/vmlinuz', initrd: '/nonexistent/initrd', cmdline: 'console=ttyS0' } }, consoleDir: dir,
  };
  const mailDirectory = new SqliteMailDirectory(join(dir, 'mail-directory.sqlite'));
  const mail = { directory: mailDirectory, dkimDir: join(dir, 'dkim'), mxHost: 'mx.appliance.test', maildirs: join(dir, 'maildirs') };
  // Extra sections (tests) go before the ledger section, which bundleSections puts last.
  const listed = bundleSections({ ledger, platformKey: platform.publicKey.id, registry, policies: readPolicyDir(POLICY_DIR), dns });
  const exitSections = [...listed.slice(0, -1), ...(opts.extraSections ?? []), ...listed.slice(-1)];
  services = createServices({ ledger, gatekeeper, registry, platform, operators: [operator.publicKey.id], storagePools: POOLS, clock: systemClock, dns, ...(opts.noCompute === true ? {} : { compute }), mail, exitSections, policies: readPolicyDir(POLICY_DIR), importStaging: join(dir, 'imports') });
  const app = buildServer({
    services, startedAt: Date.now(), health: () => ({ status: 'ok', components: { ledger: { status: 'ok' } } }),
    ...(opts.bodyLimit === undefined ? {} : { bodyLimit: opts.bodyLimit }), ...(opts.logger === undefined ? {} : { logger: opts.logger }),
  });
  await app.ready();
  return {
    app, ledger, registry, services, dir, compute, mailDirectory,
    close: async () => {
      await app.close();
      await ledger.close();
      registry.close();
      dns.store.close();
      await hypervisor.close();
      compute.store.close();
      mailDirectory.close();
    },
  };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Options for one signed request: tamper with any part to make it bad. */
export interface SendOptions {
  readonly now?: number;
  readonly ttlMs?: number;
  /** Sign for another method/path/body than is sent. */
  readonly signMethod?: Method;
  readonly signPath?: string;
  readonly signBody?: Uint8Array;
  /** Send these exact bytes (default: canonical JSON of the body). */
  readonly raw?: Uint8Array | string;
  readonly contentType?: string;
  /** Send this Authorization header instead of a fresh signature. */
  readonly authorization?: string | null;
}

/** Signs (as `signer`) and sends one request; returns the response and the header used. */
export async function send(app: FastifyInstance, signer: Signer | null, method: Method, path: string, body?: unknown, o: SendOptions = {}): Promise<LightMyRequestResponse & { authorization?: string }> {
  const bytes = o.raw !== undefined ? (typeof o.raw === 'string' ? Buffer.from(o.raw) : o.raw) : body === undefined ? new Uint8Array(0) : canonicalBytes(body);
  let authorization = o.authorization ?? undefined;
  if (o.authorization === undefined && signer !== null) {
    authorization = await signRequest(signer, {
      method: o.signMethod ?? method, path: o.signPath ?? path, body: o.signBody ?? bytes,
      ...(o.now === undefined ? {} : { now: o.now }), ...(o.ttlMs === undefined ? {} : { ttlMs: o.ttlMs }),
    });
  }
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers['authorization'] = authorization;
  if (bytes.length > 0 || o.contentType !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
  const res = await app.inject({ method, url: path, headers, ...(bytes.length > 0 ? { payload: Buffer.from(bytes) } : {}) });
  return Object.assign(res, authorization === undefined ? {} : { authorization });
}

/** Every ledger entry, parsed. */
export function entries(ledger: Ledger): LedgerEntry[] {
  return [...ledger.store.scan()].map(readEntry);
}

/** Registers `signer` as an identity (DE, consenting to identity.attributes). */
export async function register(app: FastifyInstance, signer: Signer): Promise<void> {
  const r = await send(app, signer, 'POST', '/v1/identities', { jurisdiction: 'DE', consents: ['identity.attributes'] });
  if (r.statusCode !== 201) throw new Error(`register failed: ${r.body}`);
}

/** Creates an IMVU owned by `signer`; returns its id. */
export async function createImvu(app: FastifyInstance, signer: Signer, jurisdiction = 'DE'): Promise<string> {
  const r = await send(app, signer, 'POST', '/v1/imvus', { jurisdiction, consents: ['identity.attributes'] });
  if (r.statusCode !== 201) throw new Error(`create failed: ${r.body}`);
  return (r.json() as { id: string }).id;
}
