// The network import's own steps on the real parts (virsh on qemu:///system, nft in this
// host's kernel): `write` makes the network and the rules and proves them by reading back,
// `undo` leaves nothing; rules that read back different are NETWORK_DRIFT, and undone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { VirshNftNetworkHost } from '../../../appliance/src/adapters/libvirt/network-host.js';
import { SqliteComputeStore } from '../../../appliance/src/adapters/sqlite/compute-store.js';
import { networkNames } from '../../../appliance/src/domain/network/names.js';
import { NetworkImport } from '../../../appliance/src/import/network-effect.js';
import type { NetworkHost } from '../../../appliance/src/ports/hypervisor.js';
import { declaredDigest } from '../../../appliance/src/services/effects.js';
import { rejectsCode } from '../../helpers/codes.js';
import { runner } from '../compute/harness.js';

const URI = 'qemu:///system';
// A number no other test's IMVU has: networks and tables are host-wide, tap runs files in parallel.
const imvu = 'IMVU-742';
const names = networkNames(imvu);
const policy = { ingress: [], egress: [{ proto: 'udp' as const, cidr: `${names.hostIp}/32`, port: 53 }] };
const net = { policy, declared: declaredDigest(policy) };
const host = new VirshNftNetworkHost(runner, URI);
const dir = mkdtempSync(join(tmpdir(), 'nx-netimport-'));
const store = new SqliteComputeStore(join(dir, 'compute.sqlite'));

async function nothingLeft(): Promise<[boolean, string]> {
  return [await host.networkExists(names.network), await host.listRules(names.table)];
}
async function clean(): Promise<void> {
  await host.removeRules(names.table).catch(() => undefined);
  await host.removeNetwork(names.network).catch(() => undefined);
}
await clean(); // leftovers of an interrupted run
t.teardown(async () => {
  await clean();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

t.test('write makes the network and the rules; undo removes both', async (t) => {
  const n = new NetworkImport({ networks: host, store }, imvu, net);
  await n.assertFree();
  await n.write();
  t.ok(await host.networkExists(names.network), `network ${n.name} defined`);
  t.match(await host.listRules(names.table), `iifname "${names.bridge}" ip daddr ${names.hostIp} udp dport 53 accept`, 'the declared rule is in the kernel');
  await rejectsCode(t, () => new NetworkImport({ networks: host, store }, imvu, net).assertFree(), 'CONFLICT', 'a second import finds them taken');
  await n.undo();
  t.same(await nothingLeft(), [false, ''], 'no network and no table left');
});

t.test('rules that read back different are NETWORK_DRIFT, and the undo leaves nothing', async (t) => {
  // The kernel gets one rule more than declared: the read-back must see it.
  const slipping: NetworkHost = {
    networkExists: (name) => host.networkExists(name),
    ensureNetwork: (name, xml) => host.ensureNetwork(name, xml),
    removeNetwork: (name) => host.removeNetwork(name),
    listRules: (table) => host.listRules(table),
    removeRules: (table) => host.removeRules(table),
    applyRules: async (table, script) => {
      await host.applyRules(table, script);
      await runner.run(['nft', 'add', 'rule', 'inet', table, 'egress', 'tcp', 'dport', '9999', 'accept']);
    },
  };
  const n = new NetworkImport({ networks: slipping, store }, imvu, net);
  await rejectsCode(t, () => n.write(), 'NETWORK_DRIFT');
  t.ok(await host.networkExists(names.network), 'the network was made before the drift was found');
  await n.undo();
  t.same(await nothingLeft(), [false, ''], 'no network and no table left');
});

t.test('an IMVU number beyond the address plan is refused naming the section, before any effect', async (t) => {
  try {
    new NetworkImport({ networks: host, store }, 'IMVU-99999', net);
    t.fail('constructed');
  } catch (e) {
    t.match(e, { code: 'INPUT_INVALID', field: 'network/rules.json' }, 'names network/rules.json');
  }
});
