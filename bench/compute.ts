import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalSigner, canonicalBytes, signRequest } from '@nexus-cos/sdk';
import { CedarAuthorizer } from '../appliance/src/adapters/cedar/cedar-authorizer.js';
import { LibvirtHypervisor } from '../appliance/src/adapters/libvirt/libvirt-hypervisor.js';
import { VirshNftNetworkHost } from '../appliance/src/adapters/libvirt/network-host.js';
import { QemuImgDisks } from '../appliance/src/adapters/libvirt/qemu-img-disks.js';
import { ExecaRunner } from '../appliance/src/adapters/process/execa-runner.js';
import { SqliteComputeStore } from '../appliance/src/adapters/sqlite/compute-store.js';
import { SqliteLedgerStore } from '../appliance/src/adapters/sqlite/ledger-store.js';
import { domainXml } from '../appliance/src/domain/compute/xml.js';
import { GATES, GATE_ERROR_CODES } from '../appliance/src/domain/gates/rules/index.js';
import { Gatekeeper } from '../appliance/src/gatekeeper/gatekeeper.js';
import { buildServer } from '../appliance/src/http/server.js';
import { Ledger } from '../appliance/src/ledger/ledger.js';
import { systemClock } from '../appliance/src/ports/clock.js';
import { SqliteRegistry } from '../appliance/src/registry/sqlite-registry.js';
import { createServices, type Services } from '../appliance/src/services/index.js';
import { busyboxInitramfs, cloudKernel } from '../test/helpers/tiny-vm.js';
import type { Bench, BenchResult } from './harness.js';

// vm.create: a tiny TCG VM from "create" to "running" through the signed HTTP API (fastify
// inject: signature check, gates + Cedar, signed decision durable, qcow2 disk created,
// domain defined, audit entry committed; then the gated start), against raw
// `virsh define` + `virsh start` of the same domain XML in the same run, on the same
// libvirtd (qemu:///system, scripts/libvirt.sh start). Rounds alternate sides. The figure
// is milliseconds per VM, so here the ratio is api/raw time: lower is better, goal ≤ 1.2.

const URI = 'qemu:///system';
const ROUNDS = 9;
const runner = new ExecaRunner();
const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const virsh = (...a: string[]) => runner.run(['virsh', '-c', URI, ...a], { timeoutMs: 120_000 });
const unsupported = (): number => {
  throw new Error('vm.create measures itself');
};

async function measure(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-bench-vm-'));
  const platform = LocalSigner.fromSeed(seed(9), 'node');
  const owner = LocalSigner.fromSeed(seed(11), 'node');
  const ledger = Ledger.open({ store: new SqliteLedgerStore(join(dir, 'ledger.sqlite')), signer: platform, origin: 'bench.nexus-cos.invalid/ledger', clock: systemClock, checkpointIntervalMs: 1000 });
  const registry = new SqliteRegistry(join(dir, 'registry.sqlite'));
  const hypervisor = new LibvirtHypervisor({ uri: URI, domainType: 'qemu', runner });
  const store = new SqliteComputeStore(join(dir, 'compute.sqlite'));
  const kernel = await cloudKernel();
  const initrd = await busyboxInitramfs(dir, 'echo up\nsleep 3600');
  const image = { kind: 'kernel' as const, kernel: kernel.vmlinuz, initrd, cmdline: 'console=ttyS0 quiet' };
  const pool = join(dir, 'pool');
  mkdirSync(pool);
  let services: Services | undefined;
  const gatekeeper = new Gatekeeper({ ledger, signer: platform, authorizer: CedarAuthorizer.load(fileURLToPath(new URL('../appliance/policies/', import.meta.url))), gates: GATES, gateCodes: GATE_ERROR_CODES, clock: systemClock, facts: () => (services as Services).facts() });
  services = createServices({
    ledger, gatekeeper, registry, platform, operators: [], storagePools: { 'pool-de': 'DE' }, clock: systemClock,
    compute: { hypervisor, disks: new QemuImgDisks(runner), networks: new VirshNftNetworkHost(runner, URI), store, poolDirs: { 'pool-de': pool }, images: { tiny: image }, consoleDir: dir },
  });
  const app = buildServer({ services, startedAt: Date.now(), health: () => ({ status: 'ok', components: {} }) });
  await app.ready();
  const call = async (method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<number> => {
    const bytes = body === undefined ? new Uint8Array(0) : canonicalBytes(body);
    const authorization = await signRequest(owner, { method, path: url, body: bytes, ttlMs: 300_000 });
    const res = await app.inject({ method, url, headers: { authorization, ...(bytes.length > 0 ? { 'content-type': 'application/json' } : {}) }, ...(bytes.length > 0 ? { payload: Buffer.from(bytes) } : {}) });
    if (res.statusCode >= 400) process.stderr.write(`${method} ${url}: ${res.body}\n`);
    return res.statusCode;
  };
  const hosts: string[] = [];
  try {
    await call('POST', '/v1/identities', { jurisdiction: 'DE', consents: ['identity.attributes'] });
    await call('POST', '/v1/imvus', { jurisdiction: 'DE', consents: ['identity.attributes'], quotas: { vcpus: 4, memoryMiB: 8192, diskGiB: 100, vms: 4 } });
    await virsh('list'); // the first connection's capability probe is nobody's cost
    const api: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const name = `b${i}`;
      const rawHost = `imvu-999-raw${i}`;
      const disk = join(pool, `${rawHost}.qcow2`);
      await runner.run(['qemu-img', 'create', '-q', '-f', 'qcow2', disk, '1G']);
      const xml = join(dir, `${rawHost}.xml`);
      writeFileSync(xml, domainXml({ name: rawHost, type: 'qemu', spec: { name: `raw${i}`, vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' }, disk, boot: image, serialLog: join(dir, `${rawHost}.log`) }));
      hosts.push(rawHost, `imvu-001-${name}`);
      // Each side runs alone: the other's VM is off before the clock starts (a booting TCG
      // guest takes a whole core), and the sides take turns going first.
      const rawSide = async (): Promise<void> => {
        const t0 = process.hrtime.bigint();
        await virsh('define', xml);
        await virsh('start', rawHost);
        raw.push(ms(t0));
        await virsh('destroy', rawHost);
        await virsh('undefine', rawHost);
      };
      const apiSide = async (): Promise<void> => {
        const t0 = process.hrtime.bigint();
        const created = await call('POST', '/v1/imvus/IMVU-001/vms', { name, vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' });
        const started = await call('POST', `/v1/imvus/IMVU-001/vms/${name}/start`);
        api.push(ms(t0));
        if (created !== 201 || started !== 200) throw new Error(`vm.create bench: create ${created}, start ${started}`);
        if ((await call('DELETE', `/v1/imvus/IMVU-001/vms/${name}`)) !== 204) throw new Error('vm.create bench: delete failed');
      };
      for (const side of i % 2 === 0 ? [rawSide, apiSide] : [apiSide, rawSide]) await side();
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const value = median(api);
    const baseline = median(raw);
    return { name: 'vm.create', value: Math.round(value), unit: 'ms create→running', baseline: Math.round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 };
  } finally {
    for (const h of hosts) {
      await virsh('destroy', h).catch(() => undefined);
      await virsh('undefine', h).catch(() => undefined);
    }
    await app.close();
    await hypervisor.close();
    await ledger.close();
    registry.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const computeBenches: (Bench & { measure(): Promise<BenchResult> })[] = [
  { name: 'vm.create', unit: 'ms create→running', batch: 1, subject: unsupported, baseline: unsupported, measure },
];
