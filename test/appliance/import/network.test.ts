// Import of the network section: appliance A declares its IMVU's isolated network and rules
// for real (a libvirt network on qemu:///system, an nftables table in this host's kernel)
// and a VM on it (libvirt's test driver), exports, and goes: its network and table leave the
// host, as they would leave A's. B re-creates the network and the rules from
// network/rules.json, reads them back equal, attaches the imported VM to it and records the
// declaration in its chain. A failure midway leaves no network and no rules behind; an
// appliance without compute refuses before anything exists.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { verifyExitBundle, type ImportReport, type LedgerEntry } from '@nexus-cos/sdk';
import { networkNames } from '../../../appliance/src/domain/network/names.js';
import { computeSection } from '../../../appliance/src/exit/sections/compute.js';
import { networkSection } from '../../../appliance/src/exit/sections/network.js';
import { readNetwork } from '../../../appliance/src/import/network.js';
import { throwsCode } from '../../helpers/codes.js';
import { unpack } from '../../helpers/tar.js';
import { caller, runner } from '../compute/harness.js';
import { entries, key, register, send, stack, type Stack } from '../http/harness.js';
import { bundleOf, manifestDigest } from './bundle-of.js';
import { refusedWithoutCompute } from './no-compute.js';
import { numberedImvu } from './numbered.js';

const URI = 'qemu:///system';
const owner = key(83);
const SPEC = { name: 'web1', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };

async function virsh(...args: string[]): Promise<string> {
  return (await runner.run(['virsh', '-c', URI, ...args], { timeoutMs: 120_000 })).stdout;
}
/** The table as this host's kernel holds it, read with nft itself; '' when there is none. */
async function nftTable(table: string): Promise<string> {
  return runner.run(['nft', 'list', 'table', 'inet', table]).then((r) => r.stdout, () => '');
}
async function netDefined(name: string): Promise<boolean> {
  return (await virsh('net-list', '--all', '--name')).split('\n').map((l) => l.trim()).includes(name);
}
async function removeFromHost(n: ReturnType<typeof networkNames>): Promise<void> {
  await runner.run(['nft', 'delete', 'table', 'inet', n.table]).catch(() => undefined);
  await virsh('net-destroy', n.network).catch(() => '');
  await virsh('net-undefine', n.network).catch(() => '');
}

// Appliance A. Its IMVU gets a number no other test's IMVU has (they start at IMVU-001 in
// their own stacks), since networks and tables are host-wide and tap runs files in parallel.
const a = await stack({ networkUri: URI });
t.teardown(() => a.close());
await register(a.app, owner);
const id = await numberedImvu(a, owner, 741);
const net = networkNames(id);
const host = `${id.toLowerCase()}-web1`;
await removeFromHost(net); // leftovers of an interrupted run
t.teardown(() => removeFromHost(net));
const policy = { ingress: [{ proto: 'tcp', cidr: '10.0.0.0/8', port: 22 }], egress: [{ proto: 'tcp', cidr: `${net.hostIp}/32`, port: 8080 }, { proto: 'icmp', cidr: `${net.hostIp}/32` }] };
const compute = a.services.compute;
const deps = a.compute;
if (compute === undefined || deps === undefined) throw new Error('the stack has compute');
const declaredOnA = await compute.networks.declare(caller(owner), id, { policy });
await compute.vms.create(caller(owner), id, SPEC);
const bundle = await bundleOf(a, id, undefined, [computeSection(deps), networkSection(deps.store)]);
const manifest = await manifestDigest(bundle);
const members = new Map((await unpack(bundle)).map((m) => [m.name, m.bytes]));
const rulesOnA = await nftTable(net.table);
// A is gone: its domain leaves the (process-wide) test driver, its network and table this host.
await deps.hypervisor.undefine(host, false);
await removeFromHost(net);

const b = await stack({ networkUri: URI });
t.teardown(() => b.close());
await register(b.app, owner);
const bc = b.compute;
if (bc === undefined) throw new Error('B has compute');
t.teardown(async () => {
  if ((await bc.hypervisor.status(host)) !== undefined) await bc.hypervisor.destroy(host).catch(() => undefined).then(() => bc.hypervisor.undefine(host, false));
});
const importInto = (s: Stack) => send(s.app, owner, 'POST', `/v1/imports?manifest=${manifest}`, undefined, { raw: bundle, contentType: 'application/x-tar' });

/** Asserts `s` holds nothing of the IMVU, and this host no network and no rules of it. */
async function nothingOn(t: Test, s: Stack): Promise<void> {
  t.equal(s.registry.imvu(id), undefined, 'no IMVU record');
  t.equal(s.compute?.store.network(id), undefined, 'no network record');
  t.same(s.compute?.store.vms(id) ?? [], [], 'no VM record');
  t.equal(await s.compute?.hypervisor.status(host), undefined, 'no domain');
  t.notOk(await netDefined(net.network), `no libvirt network ${net.network}`);
  t.equal(await nftTable(net.table), '', `no nft table ${net.table}`);
  await s.ledger.flush();
  t.equal(s.ledger.chains.head(id), undefined, 'no chain for the IMVU');
}

t.test('the bundle carries the declared policy as the network API takes it', async (t) => {
  const rules = members.get('network/rules.json') ?? Buffer.alloc(0);
  t.same(JSON.parse(rules.toString()), { policy }, 'exactly the PUT body');
  t.equal(readNetwork(members)?.declared, declaredOnA.declared, 'its digest is the one A declared');
  t.match(rulesOnA, /tcp dport 8080 accept/, 'A really held the rules before it went');
});

t.test('network/rules.json is read with the network grammar and in canonical form only', async (t) => {
  const bad = (body: string) => new Map([['network/rules.json', new TextEncoder().encode(body)]]);
  throwsCode(t, () => readNetwork(bad('{"policy":{"egress":[{"cidr":"10.0.0.1; drop","port":1,"proto":"tcp"}],"ingress":[]}}')), 'BUNDLE_STATE_MISMATCH', 'a CIDR outside the grammar');
  throwsCode(t, () => readNetwork(bad('{"policy":{"egress":[],"ingress":[]},"x":1}')), 'BUNDLE_STATE_MISMATCH', 'an extra field');
  throwsCode(t, () => readNetwork(bad('{ "policy": {"egress":[],"ingress":[]}}')), 'BUNDLE_STATE_MISMATCH', 'not canonical');
  t.same(readNetwork(bad('{"policy":{"egress":[],"ingress":[]}}'))?.policy, { ingress: [], egress: [] }, 'an empty policy is a policy');
});

t.test('an appliance without compute refuses a bundle with a network before anything exists', async (t) => {
  await refusedWithoutCompute(t, owner, bundle, manifest, id, 'network/rules.json');
  t.notOk(await netDefined(net.network), 'no network');
});

t.test('a failure midway (web1\u2019s disk path taken on B) removes the network and the rules it made', async (t) => {
  const disk = join(b.dir, `${host}.qcow2`);
  writeFileSync(disk, 'not ours');
  t.teardown(() => rmSync(disk, { force: true }));
  const r = await importInto(b);
  t.match(r.json(), { code: 'CONFLICT', field: 'compute/web1/disk.qcow2' }, 'refused after the network was made');
  t.equal(readFileSync(disk, 'utf8'), 'not ours', 'the file in the way is untouched');
  rmSync(disk);
  await nothingOn(t, b);
});

t.test('a VM name already defined on B is refused before the network is made', async (t) => {
  await bc.hypervisor.define(`<domain type="test"><name>${host}</name><memory>65536</memory><os><type>hvm</type></os></domain>`);
  t.teardown(() => bc.hypervisor.undefine(host, false));
  const r = await importInto(b);
  t.match(r.json(), { code: 'CONFLICT', field: 'compute/web1/spec.json' }, 'names the VM');
  t.notOk(await netDefined(net.network), 'no network');
  t.equal(await nftTable(net.table), '', 'no rules');
});

t.test('a rule table of the same name on B is never adopted: refused, and left as it was', async (t) => {
  const theirs = `table inet ${net.table} {\n  chain c {\n    type filter hook input priority filter; policy accept;\n  }\n}\n`;
  await runner.run(['nft', '-f', '-'], { input: theirs });
  t.teardown(() => runner.run(['nft', 'delete', 'table', 'inet', net.table]).catch(() => undefined));
  const before = await nftTable(net.table);
  const r = await importInto(b);
  t.match(r.json(), { code: 'CONFLICT', field: 'network/rules.json' }, 'names the network section');
  t.equal(await nftTable(net.table), before, 'the table in the way is untouched');
  t.notOk(await netDefined(net.network), 'no network made');
  await runner.run(['nft', 'delete', 'table', 'inet', net.table]);
  await nothingOn(t, b);
});

t.test('B re-creates the network and its rules, reads them back equal, attaches the VM and records the declaration', async (t) => {
  const r = await importInto(b);
  t.equal(r.statusCode, 201, r.body);
  const report = r.json() as ImportReport;
  t.same(report.vms, [{ name: 'web1', state: 'running' }], 'the VM imported and started');
  t.same(report.network, { name: net.network, declared: declaredOnA.declared }, 'the report names the network and the policy now in force');

  // The network as libvirt holds it, read with virsh: active, isolated, its bridge and address.
  t.match(await virsh('net-info', net.network), /^Active:\s+yes/m, 'the network is active');
  const xml = await virsh('net-dumpxml', net.network);
  t.match(xml, new RegExp(`<bridge name='${net.bridge}'`), 'on the IMVU\u2019s bridge');
  t.match(xml, new RegExp(`<ip address='${net.hostIp.replaceAll('.', '\\.')}' netmask='255\\.255\\.255\\.0'`), 'with the host\u2019s address');
  t.notMatch(xml, /<forward/, 'isolated: no forwarding');
  // The rules as the kernel holds them, read with nft: the same table A held.
  t.equal(await nftTable(net.table), rulesOnA, 'the kernel holds exactly the rules A held');
  t.match(await nftTable(net.table), `iifname "${net.bridge}" ip daddr ${net.hostIp} tcp dport 8080 accept`, 'the declared egress flow');
  t.match(await nftTable(net.table), `oifname "${net.bridge}" ip saddr 10.0.0.0/8 tcp dport 22 accept`, 'the declared ingress flow');
  const check = await b.services.compute?.networks.check(caller(owner), id);
  t.same(check, { imvu: id, declared: declaredOnA.declared, drift: [] }, 'B\u2019s network service finds no drift from the declared policy');
  t.match(bc.store.network(id), { imvu: id, policy, declared: declaredOnA.declared }, 'recorded where the network service keeps it');
  t.match(await bc.hypervisor.xml(host), new RegExp(`<source network='${net.network}'/>`), 'the VM joins the imported network');

  await b.ledger.flush();
  const log = entries(b.ledger).filter((e) => e.imvu === id);
  const notices = log.filter((e): e is Extract<LedgerEntry, { kind: 'notice' }> => e.kind === 'notice');
  t.same(notices.map((n) => [n.scope, n.declared, n.actor]), [['network', declaredOnA.declared, owner.publicKey.id]], 'one network notice, declaring A\u2019s policy');
  const at = (kind: string) => log.findIndex((e) => e.kind === kind);
  t.ok(at('import') < at('notice') && at('notice') < at('compute'), 'after the import link, before the VM that joins the network');

  // B's own exit carries the same rules, byte for byte.
  const exit = await bundleOf(b, id, undefined, [computeSection(bc), networkSection(bc.store)]);
  t.equal((await verifyExitBundle([exit])).imvu, id, 'B\u2019s exit of the imported IMVU verifies');
  const again = new Map((await unpack(exit)).map((m) => [m.name, m.bytes]));
  t.same(again.get('network/rules.json'), members.get('network/rules.json'), 'B\u2019s exit carries the same network/rules.json');
});
