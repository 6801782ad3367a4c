import { Resolver } from 'node:dns/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainChallenge } from '@nexus-cos/sdk';
import { NodeTxtResolver } from '../appliance/src/adapters/resolver/node-resolver.js';
import { SqliteDomainStore } from '../appliance/src/adapters/sqlite/domain-store.js';
import { knotPaths } from '../appliance/src/supervisor/knot.js';
import { createImvu, key, register, send, stack } from '../test/appliance/http/harness.js';
import { startKnot, type PrivateKnot } from '../test/appliance/dns/knotd.js';
import type { Bench, BenchResult } from './harness.js';

// DNS through the whole stack against a real knotd, each figure against raw `knsupdate`
// (TSIG-signed, the same records, the same knotd) in the same run.
// - dns.change.e2e: one record change, from the signed request to knotd serving it (polled
//   over UDP), sequential; p50 and p99. Baseline: knsupdate of the same record, then the
//   same poll. The API side also pays the gates, two ledger fsyncs, the domain store, a
//   zone read and the drift check. ratio = raw p50 / API p50 (higher is better).
// - dns.bulk.1000: one change of 1000 RRsets through the API, against one knsupdate of the
//   same 1000 records into a twin zone. ratio = raw time / API time.

const round = (x: number): number => Math.round(x * 1000) / 1000;
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const never = (): number => {
  throw new Error('dns benches measure themselves');
};

interface Setup {
  readonly k: PrivateKnot;
  /** Sends a signed PATCH of `rrsets` to example.org through the API. */
  change(rrsets: unknown[]): Promise<number>;
  /** knsupdate of `lines` (update add …) into `zone`. */
  raw(zone: string, lines: string[]): Promise<void>;
  served(name: string, want: string): Promise<void>;
  close(): Promise<void>;
}

async function setup(): Promise<Setup> {
  const [k, parent] = [await startKnot(), await startKnot()];
  await parent.dns.createZone('example.org', { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });
  const store = new SqliteDomainStore(join(mkdtempSync(join(tmpdir(), 'nexus-bench-dns-')), 'domains.sqlite'));
  const s = await stack({ dns: { dns: k.dns, store, resolver: new NodeTxtResolver([`127.0.0.1:${parent.port}`]), zone: { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' } } });
  const owner = key(11);
  await register(s.app, owner);
  const id = await createImvu(s.app, owner);
  const c = (await send(s.app, owner, 'POST', `/v1/imvus/${id}/domains`, { domain: 'example.org' })).json() as DomainChallenge;
  await parent.dns.applyChange('example.org', [{ name: c.record.name, type: 'TXT', ttl: 300, records: [`"${c.record.value}"`] }]);
  const bound = await send(s.app, owner, 'POST', `/v1/imvus/${id}/domains/example.org/verify`);
  if (bound.statusCode !== 200) throw new Error(`dns bench: bind answered ${bound.statusCode}`);
  await k.dns.createZone('raw.example', { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' });
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${k.port}`]);
  const tsig = knotPaths(join(k.dir, 'knot')).tsig;
  return {
    k,
    async change(rrsets) {
      const r = await send(s.app, owner, 'PATCH', `/v1/imvus/${id}/domains/example.org/rrsets`, { rrsets });
      if (r.statusCode !== 200) throw new Error(`dns bench: change answered ${r.statusCode}: ${r.body.slice(0, 200)}`);
      return r.statusCode;
    },
    async raw(zone, lines) {
      await k.runner.run(['knsupdate', '-v', '-k', tsig], { input: [`server 127.0.0.1 ${k.port}`, `zone ${zone}.`, ...lines, 'send', ''].join('\n') });
    },
    async served(name, want) {
      for (;;) {
        const got = await resolver.resolve4(name).catch(() => [] as string[]);
        if (got.includes(want)) return;
      }
    },
    async close() {
      await s.close();
      store.close();
      await Promise.all([k.stop(), parent.stop()]);
    },
  };
}

const changeE2e = {
  name: 'dns.change.e2e', unit: 'ms p50', batch: 1, subject: never, baseline: never,
  async measure(): Promise<BenchResult & { p99: number; rawP99: number; n: number }> {
    const n = 60;
    const x = await setup();
    try {
      const api: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < n + 5; i++) {
        const ip = `10.1.${i >> 8}.${i & 255}`;
        let start = process.hrtime.bigint();
        await x.change([{ name: `e${i}.example.org`, type: 'A', ttl: 300, records: [ip] }]);
        await x.served(`e${i}.example.org`, ip);
        if (i >= 5) api.push(ms(start));
        start = process.hrtime.bigint();
        await x.raw('raw.example', [`update add e${i}.raw.example. 300 A ${ip}`]);
        await x.served(`e${i}.raw.example`, ip);
        if (i >= 5) raw.push(ms(start));
      }
      const [p50, p99, r50, r99] = [quantile(api, 0.5), quantile(api, 0.99), quantile(raw, 0.5), quantile(raw, 0.99)];
      return { name: 'dns.change.e2e', value: round(p50), unit: 'ms p50', baseline: round(r50), ratio: round(r50 / p50), p99: round(p99), rawP99: round(r99), n };
    } finally {
      await x.close();
    }
  },
};

const bulk = {
  name: 'dns.bulk.1000', unit: 'ms', batch: 1, subject: never, baseline: never,
  async measure(): Promise<BenchResult> {
    const x = await setup();
    try {
      const ips = Array.from({ length: 1000 }, (_, i) => `10.2.${i >> 8}.${i & 255}`);
      let start = process.hrtime.bigint();
      await x.raw('raw.example', ips.map((ip, i) => `update add b${i}.raw.example. 300 A ${ip}`));
      await x.served('b999.raw.example', ips[999] as string);
      const raw = ms(start);
      start = process.hrtime.bigint();
      await x.change(ips.map((ip, i) => ({ name: `b${i}.example.org`, type: 'A', ttl: 300, records: [ip] })));
      await x.served('b999.example.org', ips[999] as string);
      const api = ms(start);
      return { name: 'dns.bulk.1000', value: round(api), unit: 'ms', baseline: round(raw), ratio: round(raw / api) };
    } finally {
      await x.close();
    }
  },
};

export const dnsBenches: Bench[] = [changeE2e, bulk];
