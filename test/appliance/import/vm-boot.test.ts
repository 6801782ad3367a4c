// Integration: an imported VM boots on appliance B. On appliance A (qemu:///system) an IMVU
// declares its network and creates a real tiny VM (Debian's cloud kernel and a busybox
// initramfs from A's image catalog) whose first boot stamps its disk, probes an allowed and
// a blocked port on the host's bridge address and powers off. The owner exits; A's VM,
// disk, network, rules and files all go. B, whose catalog holds the same image at its own
// paths, imports the bundle: the VM boots from the exported disk (it reads back A's stamp),
// on B's re-created network, under the same rules.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:net';
import t from 'tap';
import type { ImportReport } from '@nexus-cos/sdk';
import { networkNames, type NetworkNames } from '../../../appliance/src/domain/network/names.js';
import { computeSection } from '../../../appliance/src/exit/sections/compute.js';
import { networkSection } from '../../../appliance/src/exit/sections/network.js';
import { listen, probeTcp } from '../../helpers/guest-tcp.js';
import { eventually } from '../../helpers/ports.js';
import { unpack } from '../../helpers/tar.js';
import { busyboxInitramfs, cloudKernel, diskUp, netUp, stampDisk } from '../../helpers/tiny-vm.js';
import { caller, runner } from '../compute/harness.js';
import { key, register, send, stack, type Stack } from '../http/harness.js';
import { bundleOf, manifestDigest } from './bundle-of.js';
import { numberedImvu } from './numbered.js';

const URI = 'qemu:///system';
const owner = key(84);
const ALLOWED = 8080;
const BLOCKED = 8081;
const SPEC = { name: 'tiny', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };
// A boot under TCG reaches the marker in about 15 s on a quiet machine; CI is not quiet.
const BOOT_MS = 150_000;
// The IMVU's number is this test's alone (see numbered.ts); its network's names derive from it.
const NUMBER = 761;
const net = networkNames(`IMVU-${NUMBER}`);
const host = `imvu-${NUMBER}-tiny`;

async function virsh(...args: string[]): Promise<string> {
  return (await runner.run(['virsh', '-c', URI, ...args], { timeoutMs: 120_000 })).stdout;
}

/** Removes the VM's domain and the network's rule table and network from this host, if there. */
async function removeFromHost(): Promise<void> {
  await virsh('destroy', host).catch(() => '');
  await virsh('undefine', host, '--snapshots-metadata').catch(() => '');
  await runner.run(['nft', 'delete', 'table', 'inet', net.table]).catch(() => undefined);
  await virsh('net-destroy', net.network).catch(() => '');
  await virsh('net-undefine', net.network).catch(() => '');
}

/**
 * The guest's /init: on a blank disk it writes a fresh stamp to the disk's first sector; on
 * a stamped disk it prints the stamp it finds. Either way it probes both ports, syncs and
 * powers off, so A's disk is quiescent before it is exported (spec/exit-bundle.md §6).
 */
function guestInit(n: NetworkNames): string {
  return [
    netUp(n.firstGuestIp),
    diskUp(),
    stampDisk(),
    probeTcp(n.hostIp, [ALLOWED, BLOCKED]),
    'echo NEXUS-BOOT-OK',
    'sync',
    'poweroff -f',
  ].join('\n');
}

/** An appliance on qemu:///system and its own files: its stack's dir and its image catalog's. */
interface Appliance {
  readonly s: Stack;
  readonly catalog: string;
  /** Closes the appliance and removes every file of it (once). */
  gone(): Promise<void>;
}

/** An appliance whose catalog's `tiny` image (kernel and an initramfs running `init`) lives in its own dir. */
async function appliance(init: string): Promise<Appliance> {
  const kernel = await cloudKernel();
  const catalog = mkdtempSync(join(tmpdir(), 'nexus-catalog-'));
  const vmlinuz = join(catalog, 'vmlinuz');
  copyFileSync(kernel.vmlinuz, vmlinuz);
  const initrd = await busyboxInitramfs(catalog, init, kernel.modules, true);
  const s = await stack({ libvirtUri: URI, images: { tiny: { kind: 'kernel', kernel: vmlinuz, initrd, cmdline: 'console=ttyS0 quiet panic=-1' } } });
  let closed = false;
  return {
    s, catalog,
    gone: async () => {
      if (!closed) await s.close();
      closed = true;
      for (const d of [s.dir, catalog]) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Waits for `marker` in the serial log; returns the log. */
async function serialUntil(log: string, marker: string): Promise<string> {
  const read = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  return (await eventually(() => (read().includes(marker) ? read() : undefined), BOOT_MS)) ?? read();
}

/** Waits until `s`'s libvirt connection reports the VM shut off (the guest powered itself off). */
async function shutOff(s: Stack): Promise<boolean> {
  return (await eventually(async () => (await s.compute?.hypervisor.status(host))?.state === 'shutoff', 60_000)) === true;
}

t.test('a VM exported from A boots on B from the exported disk, on B\u2019s re-created network', async (t) => {
  const A = await appliance(guestInit(net));
  t.teardown(() => A.gone());
  const a = A.s;
  await register(a.app, owner);
  const id = await numberedImvu(a, owner, NUMBER);
  await removeFromHost(); // leftovers of an interrupted run
  t.teardown(() => removeFromHost());
  const servers: Server[] = [];
  t.teardown(() => servers.forEach((s) => s.close()));

  const compute = a.services.compute;
  const deps = a.compute;
  if (compute === undefined || deps === undefined) throw new Error('A has compute');
  const policy = { egress: [{ proto: 'tcp', cidr: `${net.hostIp}/32`, port: ALLOWED }], ingress: [] };
  const declared = await compute.networks.declare(caller(owner), id, { policy });
  const seenOnA: string[] = [];
  for (const port of [ALLOWED, BLOCKED]) servers.push(await listen(net.hostIp, port, seenOnA));

  const vm = await compute.vms.create(caller(owner), id, SPEC);
  await compute.vms.start(caller(owner), id, 'tiny');
  const onA = await serialUntil(compute.vms.consoleLog(vm.host), 'NEXUS-BOOT-OK');
  const stamp = /NEXUS-DISK-WROTE=(NEXUS-DISK-[0-9a-f-]{36})/.exec(onA)?.[1];
  t.ok(stamp, 'A\u2019s first boot stamped its disk');
  t.match(onA, `NEXUS-TCP-${ALLOWED}=open`, 'on A the guest reached the allowed port');
  t.match(onA, `NEXUS-TCP-${BLOCKED}=closed`, 'on A the guest could not reach the blocked port');
  t.same(seenOnA, [`${ALLOWED}:from-guest`], 'A\u2019s host saw only the allowed connection');
  t.ok(await shutOff(a), 'the guest powered off: its disk is quiescent for the export');

  // The owner exits: the bundle carries the VM (spec, portable XML, standalone disk) and the network.
  const bundle = await bundleOf(a, id, undefined, [computeSection(deps), networkSection(deps.store)]);
  const manifest = await manifestDigest(bundle);
  const members = new Map((await unpack(bundle)).map((m) => [m.name, m.bytes]));
  t.same(['compute/tiny/disk.qcow2', 'compute/tiny/domain.xml', 'compute/tiny/spec.json', 'network/rules.json'].filter((m) => !members.has(m)), [], 'the bundle carries the VM and the network');
  const portableXml = members.get('compute/tiny/domain.xml')?.toString() ?? '';
  t.ok(![a.dir, A.catalog].some((d) => portableXml.includes(d)), 'the portable XML names no path of A');

  // A is gone: its VM (domain and disk) through its own compute service, its network and
  // rules from this host, then the appliance and every file of it, image catalog included.
  await compute.vms.destroy(caller(owner), id, 'tiny');
  await removeFromHost();
  servers.splice(0).forEach((s) => s.close());
  await A.gone();
  t.notOk(existsSync(a.dir) || existsSync(A.catalog), 'nothing of A is left on this host');

  // Appliance B, whose catalog has the same image at B's own paths.
  const B = await appliance(guestInit(net));
  t.teardown(() => B.gone());
  const b = B.s;
  await register(b.app, owner);
  const r = await send(b.app, owner, 'POST', `/v1/imports?manifest=${manifest}`, undefined, { raw: bundle, contentType: 'application/x-tar' });
  t.equal(r.statusCode, 201, r.statusCode === 201 ? 'B accepted the import' : r.body);
  // The guest is starting now; the kernel alone takes seconds under TCG before it probes.
  const seenOnB: string[] = [];
  for (const port of [ALLOWED, BLOCKED]) servers.push(await listen(net.hostIp, port, seenOnB));
  const report = r.json() as ImportReport;
  t.same(report.vms, [{ name: 'tiny', state: 'running' }], 'B imported and started the VM');
  t.same(report.network, { name: net.network, declared: declared.declared }, 'on the network A declared');

  const xml = await virsh('dumpxml', host);
  t.match(xml, `<source network='${net.network}'`, 'the VM\u2019s interface is on B\u2019s re-created network');
  t.match(xml, `<kernel>${join(B.catalog, 'vmlinuz')}</kernel>`, 'it boots B\u2019s catalog kernel');
  t.match(xml, `<initrd>${join(B.catalog, 'initrd.cpio')}</initrd>`, 'and B\u2019s catalog initramfs');
  t.match(xml, `<source file='${join(b.dir, `${host}.qcow2`)}'`, 'from the disk written into B\u2019s pool');
  t.ok(![a.dir, A.catalog].some((d) => xml.includes(d)), 'nothing of A\u2019s paths');

  const onB = await serialUntil(b.services.compute?.vms.consoleLog(host) ?? '', 'NEXUS-BOOT-OK');
  t.match(onB, 'NEXUS-BOOT-OK', 'the imported VM boots on B to the same serial marker');
  t.match(onB, `NEXUS-DISK-READ=${stamp ?? 'none'}`, 'from the exported disk: it reads back the stamp A\u2019s boot wrote');
  t.match(onB, `NEXUS-TCP-${ALLOWED}=open`, 'on B the guest reaches the allowed port');
  t.match(onB, `NEXUS-TCP-${BLOCKED}=closed`, 'on B the guest cannot reach the blocked port');
  t.same(seenOnB, [`${ALLOWED}:from-guest`], 'B\u2019s host saw only the allowed connection');
  t.ok(await shutOff(b), 'the guest on B powered itself off');
});
