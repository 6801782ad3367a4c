import { NexusError } from '@nexus-cos/sdk';
import t from 'tap';
import { rejectsCode } from '../../helpers/codes.js';
import { caller, computeStack, key, ownedImvu } from './harness.js';
import type { NetworkHost } from '../../../appliance/src/ports/hypervisor.js';

// The Networks service's undo, on an in-memory network host (the real virsh + nft host is
// tested in vm-boot.test.ts and test/appliance/import/network*.test.ts): a declaration that
// fails leaves the host as it was, network included.
class MemoryNetworkHost implements NetworkHost {
  readonly networks = new Set<string>();
  readonly tables = new Map<string, string>();
  failApply = false;
  ensureNetwork(name: string): Promise<void> {
    this.networks.add(name);
    return Promise.resolve();
  }
  removeNetwork(name: string): Promise<void> {
    this.networks.delete(name);
    return Promise.resolve();
  }
  networkExists(name: string): Promise<boolean> {
    return Promise.resolve(this.networks.has(name));
  }
  applyRules(table: string, script: string): Promise<void> {
    if (this.failApply) return Promise.reject(new NexusError('COMMAND_FAILED', 'nft -f: exit 1: Operation not permitted', { field: '/nft' }));
    this.tables.set(table, script);
    return Promise.resolve();
  }
  listRules(): Promise<string> {
    // Whatever was applied reads back as nothing: the service sees drift unless the policy is empty.
    return Promise.resolve('');
  }
  removeRules(table: string): Promise<void> {
    this.tables.delete(table);
    return Promise.resolve();
  }
}

t.test('a first declaration that fails leaves no network and no rules; a later one keeps the network', async (t) => {
  const host = new MemoryNetworkHost();
  const s = computeStack('test:///default', {}, undefined, host);
  t.teardown(() => s.close());
  const owner = key(61);
  const imvu = await ownedImvu(s, owner);
  host.failApply = true;
  await rejectsCode(t, () => s.compute.networks.declare(caller(owner), imvu, { policy: { ingress: [], egress: [] } }), 'COMMAND_FAILED', 'the apply failed, as the command runner reports it');
  t.same([...host.networks], [], 'the network the failed declaration made is gone');
  t.same([...host.tables], [], 'and no rules stayed');
  t.equal(s.store.network(imvu), undefined, 'nothing recorded');

  host.failApply = false;
  host.networks.add('nx-pre-existing');
  const made = [...host.networks];
  await rejectsCode(t, () => s.compute.networks.declare(caller(owner), imvu, { policy: { ingress: [], egress: [{ proto: 'tcp', cidr: '192.0.2.1/32', port: 80 }] } }), 'NETWORK_DRIFT', 'the rules did not read back');
  t.same([...host.networks], made, 'only what the declaration made is removed');
  t.same([...host.tables], [], 'its rules are removed');
});
