import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirshNftNetworkHost } from '../appliance/src/adapters/libvirt/network-host.js';
import { ExecaRunner } from '../appliance/src/adapters/process/execa-runner.js';
import { SqliteComputeStore } from '../appliance/src/adapters/sqlite/compute-store.js';
import { networkNames } from '../appliance/src/domain/network/names.js';
import { chains, rulesetScript } from '../appliance/src/domain/network/nft.js';
import { networkXml } from '../appliance/src/domain/network/xml.js';
import { NetworkImport } from '../appliance/src/import/network-effect.js';
import { declaredDigest } from '../appliance/src/services/effects.js';
import type { Bench, BenchResult } from './harness.js';

// network.import: the import's network step (appliance/src/import/network-effect.ts) on
// qemu:///system and this host's nftables: refuse what exists, define + start the isolated
// network, apply the rules, read them back and compare, then undo; against the raw commands
// a script would run for the same network and rules (`virsh net-define`, `net-start`,
// `nft -f`, `nft list table`, then `net-destroy`, `net-undefine`, `nft delete table`), in
// the same run, rounds alternating. Milliseconds per network: ratio ours/raw, lower is better.

const URI = 'qemu:///system';
const ROUNDS = 7;
const runner = new ExecaRunner();
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const unsupported = (): number => {
  throw new Error('network.import measures itself');
};

async function measure(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-bench-netimport-'));
  const store = new SqliteComputeStore(join(dir, 'compute.sqlite'));
  const host = new VirshNftNetworkHost(runner, URI);
  // Two IMVU numbers of their own, one per side, so neither side meets the other's leftovers.
  const ours = 'IMVU-951';
  const raw = networkNames('IMVU-952');
  const policy = {
    ingress: [{ proto: 'tcp' as const, cidr: '10.0.0.0/8', port: 22 }],
    egress: [{ proto: 'tcp' as const, cidr: `${networkNames(ours).hostIp}/32`, port: 8080 }, { proto: 'icmp' as const, cidr: `${networkNames(ours).hostIp}/32` }],
  };
  const net = { policy, declared: declaredDigest(policy) };
  const xml = join(dir, 'raw.xml');
  writeFileSync(xml, networkXml(raw));
  const script = rulesetScript(raw.table, chains(raw.bridge, policy));
  const virsh = (...a: string[]) => runner.run(['virsh', '-c', URI, ...a], { timeoutMs: 120_000 });
  const clean = async (): Promise<void> => {
    for (const n of [networkNames(ours), raw]) {
      await host.removeRules(n.table).catch(() => undefined);
      await host.removeNetwork(n.network).catch(() => undefined);
    }
  };
  try {
    await clean();
    await virsh('net-list'); // the first connection's capability probe is nobody's cost
    const oursMs: number[] = [];
    const rawMs: number[] = [];
    const rawSide = async (): Promise<void> => {
      const t0 = process.hrtime.bigint();
      await virsh('net-define', xml);
      await virsh('net-start', raw.network);
      await runner.run(['nft', '-f', '-'], { input: script });
      await runner.run(['nft', 'list', 'table', 'inet', raw.table]);
      await virsh('net-destroy', raw.network);
      await virsh('net-undefine', raw.network);
      await runner.run(['nft', 'delete', 'table', 'inet', raw.table]);
      rawMs.push(ms(t0));
    };
    const oursSide = async (): Promise<void> => {
      const t0 = process.hrtime.bigint();
      const n = new NetworkImport({ networks: host, store }, ours, net);
      await n.assertFree();
      await n.write();
      await n.undo();
      oursMs.push(ms(t0));
    };
    for (let i = 0; i < ROUNDS; i++) for (const side of i % 2 === 0 ? [rawSide, oursSide] : [oursSide, rawSide]) await side();
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const value = median(oursMs);
    const baseline = median(rawMs);
    return { name: 'network.import', value: Math.round(value), unit: 'ms per network made, checked and undone', baseline: Math.round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 };
  } finally {
    await clean();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const netimportBenches: (Bench & { measure(): Promise<BenchResult> })[] = [
  { name: 'network.import', unit: 'ms per network made, checked and undone', batch: 1, subject: unsupported, baseline: unsupported, measure },
];
