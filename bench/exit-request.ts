import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalSigner, canonicalBytes, signRequest, type BundleSource } from '@nexus-cos/sdk';
import { request } from 'undici';
import { CedarAuthorizer } from '../appliance/src/adapters/cedar/cedar-authorizer.js';
import { readPolicyDir } from '../appliance/src/adapters/cedar/policy-files.js';
import { SqliteLedgerStore } from '../appliance/src/adapters/sqlite/ledger-store.js';
import { GATES, GATE_ERROR_CODES } from '../appliance/src/domain/gates/rules/index.js';
import { buildExitBundle } from '../appliance/src/exit/builder.js';
import type { BundleSection } from '../appliance/src/exit/section.js';
import { bundleSections } from '../appliance/src/exit/sections/all.js';
import { Gatekeeper } from '../appliance/src/gatekeeper/gatekeeper.js';
import { buildServer } from '../appliance/src/http/server.js';
import { Ledger } from '../appliance/src/ledger/ledger.js';
import { systemClock } from '../appliance/src/ports/clock.js';
import { SqliteRegistry } from '../appliance/src/registry/sqlite-registry.js';
import { createServices, type Services } from '../appliance/src/services/index.js';
import type { Bench, BenchResult } from './harness.js';

// exit.request: bytes per second of an exit bundle through the whole request (signed
// request, gates 2 and 15, the size plan, the HTTP stream over loopback, read by a client),
// against the same bundle built in process and read to nothing, in the same run. The
// bundle is one 256 MiB member (a disk's shape) plus the IMVU's record, policies and ledger.

const ORIGIN = 'bench.nexus-cos.invalid/ledger';
const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const chunk = Buffer.alloc(MiB, 0x5a);
const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);
const measuresItself = (): number => {
  throw new Error('exit.request measures itself: run it through measure()');
};

const disk: BundleSection = {
  name: 'disk',
  async *files(): AsyncGenerator<BundleSource> {
    yield { path: 'compute/bench/disk.qcow2', size: SIZE, mediaType: 'application/octet-stream', open: async function* () { for (let n = 0; n < SIZE; n += MiB) yield chunk; } };
  },
};

async function drain(body: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const c of body) n += (c as Uint8Array).length;
  return n;
}

async function measure(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-exit-request-'));
  const platform = LocalSigner.fromSeed(seed(9), 'node');
  const owner = LocalSigner.fromSeed(seed(11), 'node');
  const ledger = Ledger.open({ store: new SqliteLedgerStore(join(dir, 'ledger.sqlite')), signer: platform, origin: ORIGIN, clock: systemClock, checkpointIntervalMs: 1000 });
  const registry = new SqliteRegistry(join(dir, 'registry.sqlite'));
  const policies = fileURLToPath(new URL('../appliance/policies/', import.meta.url));
  let services: Services | undefined;
  const gatekeeper = new Gatekeeper({ ledger, signer: platform, authorizer: CedarAuthorizer.load(policies), gates: GATES, gateCodes: GATE_ERROR_CODES, clock: systemClock, facts: () => (services as Services).facts() });
  const listed = bundleSections({ ledger, platformKey: platform.publicKey.id, registry, policies: readPolicyDir(policies) });
  const sections = [...listed.slice(0, -1), disk, ...listed.slice(-1)];
  services = createServices({ ledger, gatekeeper, registry, platform, operators: [], storagePools: { 'pool-de': 'DE' }, clock: systemClock, exitSections: sections });
  const app = buildServer({ services, startedAt: Date.now(), health: () => ({ status: 'ok', components: {} }) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const call = async (path: string, body?: unknown): Promise<{ status: number; bytes: number }> => {
      const bytes = body === undefined ? new Uint8Array(0) : canonicalBytes(body);
      const authorization = await signRequest(owner, { method: 'POST', path, body: bytes });
      const res = await request(`${url}${path}`, { method: 'POST', headers: { authorization, ...(bytes.length > 0 ? { 'content-type': 'application/json' } : {}) }, body: bytes.length > 0 ? Buffer.from(bytes) : null });
      return { status: res.statusCode, bytes: await drain(res.body) };
    };
    await call('/v1/identities', { jurisdiction: 'DE', consents: ['identity.attributes'] });
    await call('/v1/imvus', { jurisdiction: 'DE', consents: ['identity.attributes'] });
    let start = process.hrtime.bigint();
    const r = await call('/v1/imvus/IMVU-001/exit');
    const routeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 200 || r.bytes < SIZE) throw new Error(`exit.request: answered ${r.status} with ${r.bytes} bytes`);
    start = process.hrtime.bigint();
    const raw = await drain(buildExitBundle({ ledger, platform, sections }, 'IMVU-001', new Date()));
    const rawSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const value = r.bytes / routeSeconds;
    const baseline = raw / rawSeconds;
    return { name: 'exit.request', value: round(value), unit: 'bytes/s', baseline: round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 };
  } finally {
    await app.close();
    await ledger.close();
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The suite bench/run.ts lists as `exit-request`. */
export const exitRequestBenches: Bench[] = [
  { name: 'exit.request', unit: 'bytes/s', batch: SIZE, subject: measuresItself, baseline: measuresItself, measure } as Bench & { measure(): Promise<BenchResult> },
];
