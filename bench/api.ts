import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalSigner, canonicalBytes, signRequest } from '@nexus-cos/sdk';
import { CedarAuthorizer } from '../appliance/src/adapters/cedar/cedar-authorizer.js';
import { SqliteLedgerStore } from '../appliance/src/adapters/sqlite/ledger-store.js';
import { GATES, GATE_ERROR_CODES } from '../appliance/src/domain/gates/rules/index.js';
import { Gatekeeper } from '../appliance/src/gatekeeper/gatekeeper.js';
import { buildServer } from '../appliance/src/http/server.js';
import { Ledger } from '../appliance/src/ledger/ledger.js';
import { systemClock } from '../appliance/src/ports/clock.js';
import { SqliteRegistry } from '../appliance/src/registry/sqlite-registry.js';
import { createServices, type Services } from '../appliance/src/services/index.js';
import type { Bench, BenchResult } from './harness.js';

// api.request.signed: signed requests per second through the whole stack, in process
// (fastify inject: strict signature check, replay cache, 17 gates + Cedar, the signed
// decision durable in the ledger, the effect and its entries committed with the registry,
// the JSON answer), for a cheap mutation: a consent grant, then its withdrawal, in turn.
// Baseline: the raw durable ledger append of one entry, awaited one at a time, on the
// same disk in the same run. Both sides are sequential (one request in flight), because
// the services apply mutations one at a time; each request waits for two group commits
// (decision, then effect) and one registry commit, so the ratio is bounded near 1/3.
// Requests are signed before the clock starts: client-side signing is not server work.

const N = 400;
const ORIGIN = 'bench.nexus-cos.invalid/ledger';
const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);
const measuresItself = (): number => {
  throw new Error('api.request.signed measures itself: run it through measure()');
};

interface MeasuredBench extends Bench {
  measure(): Promise<BenchResult>;
}

function openLedger(dir: string, platform: LocalSigner): Ledger {
  return Ledger.open({ store: new SqliteLedgerStore(join(dir, 'ledger.sqlite')), signer: platform, origin: ORIGIN, clock: systemClock, checkpointIntervalMs: 1000 });
}

async function requestsPerSecond(dir: string): Promise<number> {
  const platform = LocalSigner.fromSeed(seed(9), 'node');
  const owner = LocalSigner.fromSeed(seed(11), 'node');
  const ledger = openLedger(dir, platform);
  const registry = new SqliteRegistry(join(dir, 'registry.sqlite'));
  const authorizer = CedarAuthorizer.load(fileURLToPath(new URL('../appliance/policies/', import.meta.url)));
  let services: Services | undefined;
  const gatekeeper = new Gatekeeper({ ledger, signer: platform, authorizer, gates: GATES, gateCodes: GATE_ERROR_CODES, clock: systemClock, facts: () => (services as Services).facts() });
  services = createServices({ ledger, gatekeeper, registry, platform, operators: [], storagePools: { 'pool-de': 'DE' }, clock: systemClock });
  const app = buildServer({ services, startedAt: Date.now(), health: () => ({ status: 'ok', components: {} }) });
  await app.ready();
  const call = async (method: 'POST' | 'DELETE', url: string, body?: unknown, auth?: string): Promise<number> => {
    const bytes = body === undefined ? new Uint8Array(0) : canonicalBytes(body);
    const authorization = auth ?? (await signRequest(owner, { method, path: url, body: bytes, ttlMs: 300_000 }));
    const res = await app.inject({ method, url, headers: { authorization, ...(bytes.length > 0 ? { 'content-type': 'application/json' } : {}) }, ...(bytes.length > 0 ? { payload: Buffer.from(bytes) } : {}) });
    return res.statusCode;
  };
  await call('POST', '/v1/identities', { jurisdiction: 'DE', consents: ['identity.attributes'] });
  await call('POST', '/v1/imvus', { jurisdiction: 'DE', consents: ['identity.attributes'] });
  const grant = { method: 'POST' as const, url: '/v1/imvus/IMVU-001/consents', body: { purpose: 'bench.purpose' } };
  const withdraw = { method: 'DELETE' as const, url: '/v1/imvus/IMVU-001/consents/bench.purpose' };
  const requests = await Promise.all(Array.from({ length: N + 20 }, async (_, i) => {
    const r: { method: 'POST' | 'DELETE'; url: string; body?: unknown } = i % 2 === 0 ? grant : withdraw;
    const bytes = r.body === undefined ? new Uint8Array(0) : canonicalBytes(r.body);
    return { ...r, auth: await signRequest(owner, { method: r.method, path: r.url, body: bytes, ttlMs: 300_000 }) };
  }));
  for (const r of requests.slice(0, 20)) await call(r.method, r.url, r.body, r.auth); // warm-up
  const start = process.hrtime.bigint();
  for (const r of requests.slice(20)) {
    const status = await call(r.method, r.url, r.body, r.auth);
    if (status !== 200) throw new Error(`api bench: ${r.method} ${r.url} answered ${status}`);
  }
  const rate = (N * 1e9) / Number(process.hrtime.bigint() - start);
  await app.close();
  await ledger.close();
  registry.close();
  return rate;
}

async function appendsPerSecond(dir: string): Promise<number> {
  const platform = LocalSigner.fromSeed(seed(9), 'node');
  const actor = LocalSigner.fromSeed(seed(11), 'node').publicKey.id;
  const ledger = openLedger(dir, platform);
  const append = (i: number) => ledger.append({ kind: 'audit', imvu: null, actor, action: 'bench.append', resource: `bench:${i}`, decision: 'ab'.repeat(32) });
  for (let i = 0; i < 20; i++) await append(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await append(i);
  const rate = (N * 1e9) / Number(process.hrtime.bigint() - start);
  await ledger.close();
  return rate;
}

const signedRequests: MeasuredBench = {
    name: 'api.request.signed', unit: 'req/s', batch: 1, subject: measuresItself, baseline: measuresItself,
    async measure() {
      const dir = mkdtempSync(join(tmpdir(), 'nexus-bench-api-'));
      try {
        const baseline = await appendsPerSecond(mkdtempSync(join(dir, 'append-')));
        const value = await requestsPerSecond(mkdtempSync(join(dir, 'api-')));
        return { name: 'api.request.signed', value: round(value), unit: 'req/s', baseline: round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
};

export const apiBenches: Bench[] = [signedRequests];
