// Integration: a real tiny VM under QEMU TCG (qemu:///system, libvirtd started by
// scripts/libvirt.sh) on an IMVU network this test declares. The guest's init tries one
// allowed and one blocked TCP port on the host's bridge address and prints what happened
// to its serial console; host-side listeners see which connections really arrived.
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { vmResource } from '../../../appliance/src/domain/compute/names.js';
import { networkNames } from '../../../appliance/src/domain/network/names.js';
import type { VmImage } from '../../../appliance/src/services/compute/index.js';
import { rejectsCode } from '../../helpers/codes.js';
import { eventually } from '../../helpers/ports.js';
import { listen, probeTcp } from '../../helpers/guest-tcp.js';
import { busyboxInitramfs, cloudKernel, netUp } from '../../helpers/tiny-vm.js';
import { caller, computeStack, key, operator, ownedImvu, runner } from './harness.js';

const URI = 'qemu:///system';
const owner = key(81);
const ALLOWED = 8080;
const BLOCKED = 8081;

async function virsh(...args: string[]): Promise<string> {
  return (await runner.run(['virsh', '-c', URI, ...args], { timeoutMs: 120_000 })).stdout;
}

/** `virsh domstats` fields as integers: libvirt's own counters, read independently. */
async function domstats(host: string): Promise<Record<string, bigint>> {
  const out = await virsh('domstats', '--cpu-total', '--interface', host);
  return Object.fromEntries([...out.matchAll(/^\s+([a-z0-9.]+)=([0-9]+)$/gm)].map((m) => [m[1] as string, BigInt(m[2] as string)]));
}

t.test('a tiny VM boots, reaches only what its rules allow, and its meters reconcile with libvirt', async (t) => {
  const kernel = await cloudKernel();
  // The image catalog is filled in once the initramfs is built (below).
  const images: Record<string, VmImage> = {};
  const s = computeStack(URI, images);
  const imvu = await ownedImvu(s, owner);
  const net = networkNames(imvu);
  const host = `${imvu.toLowerCase()}-tiny`;
  // Leftovers of an earlier, interrupted run of this test.
  await virsh('destroy', host).catch(() => '');
  await virsh('undefine', host, '--snapshots-metadata').catch(() => '');
  t.teardown(async () => {
    await virsh('destroy', host).catch(() => '');
    await virsh('undefine', host, '--snapshots-metadata').catch(() => '');
    await runner.run(['nft', 'delete', 'table', 'inet', net.table]).catch(() => undefined);
    await virsh('net-destroy', net.network).catch(() => '');
    await virsh('net-undefine', net.network).catch(() => '');
    await s.close();
  });

  // A fresh caller per call: a signed request is valid for a minute only.
  const o = (): ReturnType<typeof caller> => caller(owner);
  const policy = { egress: [{ proto: 'tcp', cidr: `${net.hostIp}/32`, port: ALLOWED }], ingress: [] };
  await rejectsCode(t, () => s.compute.networks.declare(caller(operator), imvu, { policy }, 'route.change'), 'GATE_NETWORK_HONESTY', 'the operator cannot reroute without a reason');
  await s.compute.networks.declare(o(), imvu, { policy });
  const log = s.entries(imvu);
  const notice = log.findIndex((e) => e.kind === 'notice' && (e as { scope: string }).scope === 'network');
  const audit = log.findIndex((e) => e.kind === 'audit' && (e as { action: string }).action === 'network.create');
  t.ok(notice >= 0 && audit > notice, 'network notice in the IMVU log before the change is recorded');
  t.same((await s.compute.networks.check(o(), imvu)).drift, [], 'the kernel holds exactly the declared rules');

  const seen: string[] = [];
  const servers = [await listen(net.hostIp, ALLOWED, seen), await listen(net.hostIp, BLOCKED, seen)];
  t.teardown(() => servers.forEach((srv) => srv.close()));

  const init = [
    netUp(net.firstGuestIp),
    probeTcp(net.hostIp, [ALLOWED, BLOCKED]),
    'echo NEXUS-BOOT-OK',
    // Burn some CPU so the meters have something to count, then idle until destroyed.
    'i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done',
    'echo NEXUS-BUSY-DONE',
    'sleep 3600',
  ].join('\n');
  const initrd = await busyboxInitramfs(s.dir, init, kernel.modules);
  images.tiny = { kind: 'kernel', kernel: kernel.vmlinuz, initrd, cmdline: 'console=ttyS0 quiet panic=-1' };

  const started = Date.now();
  const vm = await s.compute.vms.create(o(), imvu, { name: 'tiny', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' });
  await s.compute.vms.start(o(), imvu, 'tiny');
  const consoleLog = s.compute.vms.consoleLog(vm.host);
  const serial = () => (existsSync(consoleLog) ? readFileSync(consoleLog, 'utf8') : '');
  const booted = await eventually(() => serial().includes('NEXUS-BUSY-DONE') || undefined, 90_000);
  t.ok(booted, `serial console marker seen after ${Date.now() - started} ms`);
  t.match(serial(), /NEXUS-BOOT-OK/);
  t.match(serial(), new RegExp(`NEXUS-TCP-${ALLOWED}=open`), 'the guest reached the allowed port');
  t.match(serial(), new RegExp(`NEXUS-TCP-${BLOCKED}=closed`), 'the guest could not reach the blocked port');
  t.same(seen, [`${ALLOWED}:from-guest`], 'the host saw only the allowed connection');

  // Meters over the run, against libvirt's own counters read independently. The guest is
  // paused for the last sample, so its counters stand still while both sides read them.
  await s.compute.metering.sampleAll();
  await new Promise((r) => setTimeout(r, 1500));
  await virsh('suspend', vm.host);
  await s.compute.metering.sampleAll();
  const lib = await domstats(vm.host);
  const usage = s.entries(imvu).filter((e) => e.kind === 'usage') as unknown as { meter: string; quantity: string }[];
  const total = (m: string): bigint => usage.filter((e) => e.meter === m).reduce((a, e) => a + BigInt(e.quantity), 0n);
  const cursor = s.store.cursor(vmResource(imvu, 'tiny'));
  const billedCpuNs = total('vm.vcpu_seconds') * 1_000_000_000n + (cursor?.carryCpuNs ?? -1n);
  // virDomainGetInfo (what the binding reads) sums whole scheduler ticks (10 ms) of each
  // QEMU thread; domstats reads the cgroup's nanoseconds. They agree to within 2 %.
  const libCpu = lib['cpu.time'] ?? -1n;
  const gap = billedCpuNs > libCpu ? billedCpuNs - libCpu : libCpu - billedCpuNs;
  t.ok(gap * 50n <= libCpu, `billed CPU ${billedCpuNs} ns reconciles with libvirt's ${libCpu} ns (gap ${gap} ns)`);
  t.ok(total('vm.vcpu_seconds') >= 1n, 'at least a vCPU-second billed');
  const rx = total('vm.net_rx_bytes');
  const tx = total('vm.net_tx_bytes');
  t.equal(rx, lib['net.0.rx.bytes'], `billed rx ${rx} bytes equals libvirt's counter`);
  t.equal(tx, lib['net.0.tx.bytes'], `billed tx ${tx} bytes equals libvirt's counter`);
  t.ok(rx > 0n && tx > 0n, 'the traffic was metered');

  // Drift: a rule slipped in behind the declared policy is reported, not hidden.
  await runner.run(['nft', 'add', 'rule', 'inet', net.table, 'egress', 'tcp', 'dport', '9999', 'accept']);
  const found = await s.compute.networks.check(o(), imvu);
  t.ok(found.drift.some((d) => d.kind === 'unexpected' && d.rule.includes('9999')), 'the extra rule is reported as drift');

  await s.compute.vms.stop(o(), imvu, 'tiny', true);
  t.equal((await s.hypervisor.status(vm.host))?.state, 'shutoff');
  await s.compute.vms.snapshot(o(), imvu, 'tiny', 'before-upgrade');
  t.same(await s.hypervisor.snapshots(vm.host), ['before-upgrade'], 'an internal qcow2 snapshot');
  await s.compute.vms.destroy(o(), imvu, 'tiny');
  t.equal(await s.hypervisor.status(vm.host), undefined, 'gone from libvirt');
});
