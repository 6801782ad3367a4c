// The gated VM lifecycle against libvirt's test driver (no daemon), with real qcow2 disks.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hypervisor } from '@unraid/libvirt';
import t from 'tap';
import { rejectsCode } from '../../helpers/codes.js';
import { caller, computeStack, key, operator, ownedImvu, runner } from './harness.js';

const IMAGES = { tiny: { kind: 'kernel' as const, kernel: '/nonexistent/vmlinuz', initrd: '/nonexistent/initrd', cmdline: 'console=ttyS0' } };
const SPEC = { name: 'web1', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };
const owner = key(71);
const stranger = key(72);

const s = computeStack('test:///default', IMAGES);
t.teardown(() => s.close());

t.test('create → start → stop → destroy, each gated, logged and undone on failure', async (t) => {
  const imvu = await ownedImvu(s, owner);
  const o = caller(owner);
  const vm = await s.compute.vms.create(o, imvu, SPEC);
  t.equal(vm.host, `${imvu.toLowerCase()}-web1`);
  const info = JSON.parse((await runner.run(['qemu-img', 'info', '--output=json', vm.disk])).stdout) as { format: string; 'virtual-size': number };
  t.equal(info.format, 'qcow2', 'the disk is qcow2');
  t.equal(info['virtual-size'], 2 ** 30, 'of the declared size');
  t.match(vm.disk, /\/pools\/pool-de\//, 'in the pool tagged for the IMVU (gate 14)');
  t.equal((await s.hypervisor.status(vm.host))?.state, 'shutoff');
  const audits = () => s.entries(imvu).filter((e) => e.kind === 'audit').map((e) => (e as { action: string }).action);
  t.same(audits(), ['imvu.create', 'vm.create']);

  await s.compute.vms.start(o, imvu, 'web1');
  t.equal((await s.hypervisor.status(vm.host))?.state, 'running');
  t.equal(s.store.vm(imvu, 'web1')?.state, 'running');
  await s.compute.vms.stop(o, imvu, 'web1', true);
  t.equal((await s.hypervisor.status(vm.host))?.state, 'shutoff');
  t.same(audits(), ['imvu.create', 'vm.create', 'vm.start', 'vm.stop']);

  await s.services.identities.register(caller(stranger), { jurisdiction: 'DE', consents: ['identity.attributes'] });
  await rejectsCode(t, () => s.compute.vms.start(caller(stranger), imvu, 'web1'), 'GATE_RESOURCE_BINDING', 'a registered stranger cannot start it');
  await rejectsCode(t, () => s.compute.vms.destroy(caller(stranger), imvu, 'web1'), 'GATE_RESOURCE_BINDING', 'nor destroy it');
  await rejectsCode(t, () => s.compute.vms.create(o, imvu, SPEC), 'CONFLICT', 'the name is taken');
  await rejectsCode(t, () => s.compute.vms.create(o, imvu, { ...SPEC, name: 'web2', image: 'nope' }), 'INPUT_INVALID', 'unknown image');

  await s.compute.vms.destroy(o, imvu, 'web1');
  t.equal(await s.hypervisor.status(vm.host), undefined, 'undefined in libvirt');
  t.notOk(existsSync(vm.disk), 'disk removed');
  t.equal(s.store.vm(imvu, 'web1'), undefined);
  t.same(audits(), ['imvu.create', 'vm.create', 'vm.start', 'vm.stop', 'vm.destroy']);
});

t.test('a failed define leaves no disk, no VM and no audit entry', async (t) => {
  const imvu = await ownedImvu(s, owner);
  // Someone else's domain already holds the name (with another uuid): libvirt refuses ours.
  const raw = new Hypervisor({ uri: 'test:///default' });
  await raw.connectOpen();
  const host = `${imvu.toLowerCase()}-db1`;
  await raw.domainDefineXML(`<domain type="test"><name>${host}</name><uuid>7a9b3c1e-1111-4222-8333-444455556666</uuid><memory>65536</memory><os><type>hvm</type></os></domain>`);
  await rejectsCode(t, () => s.compute.vms.create(caller(owner), imvu, { ...SPEC, name: 'db1' }), 'HYPERVISOR_FAILED');
  t.notOk(existsSync(join(s.dir, 'pools/pool-de', `${host}.qcow2`)), 'disk removed again');
  t.equal(s.store.vm(imvu, 'db1'), undefined, 'not in the store');
  t.notOk(s.entries(imvu).some((e) => e.kind === 'audit' && (e as { resource: string }).resource.endsWith('/db1')), 'no audit entry: it did not take effect');
  const decisions = s.entries(imvu).filter((e) => e.kind === 'gate_decision' && (e as { action: string }).action === 'vm.create');
  t.ok(decisions.length > 0, 'the allow decision was logged before the attempt');
  await raw.connectClose();
});

t.test('quotas: beyond them is refused; a change needs a reason and lands as a notice first', async (t) => {
  const imvu = await ownedImvu(s, owner);
  const o = caller(owner);
  // Default quota: 4 vCPUs, 8192 MiB, 100 GiB, 4 VMs.
  await s.compute.vms.create(o, imvu, { ...SPEC, name: 'a', vcpus: 3 });
  await rejectsCode(t, () => s.compute.vms.create(o, imvu, { ...SPEC, name: 'b', vcpus: 2 }), 'GATE_CAPACITY_HONESTY', '3 + 2 vCPUs > 4');
  t.notOk(existsSync(join(s.dir, 'pools/pool-de', `${imvu.toLowerCase()}-b.qcow2`)), 'nothing created for the refused VM');
  await s.compute.vms.create(o, imvu, { ...SPEC, name: 'b', vcpus: 1 });
  await s.compute.vms.create(o, imvu, { ...SPEC, name: 'c', vcpus: 1, memoryMiB: 64 }).then(() => t.fail('vcpus exhausted'), (e: { code: string }) => t.equal(e.code, 'GATE_CAPACITY_HONESTY', 'vcpus exhausted'));

  const quota = { vcpus: 8, memoryMiB: 8192, diskGiB: 100, vms: 3 };
  await rejectsCode(t, () => s.services.imvus.changeQuota(caller(operator), imvu, quota, ''), 'GATE_CAPACITY_HONESTY', 'no reason, no notice: refused');
  t.equal(s.services.imvus.get(o, imvu).quotas.vcpus, 4, 'quota unchanged');
  await s.services.imvus.changeQuota(caller(operator), imvu, quota, 'customer upgraded to plan M, ticket 88');
  const log = s.entries(imvu);
  const notice = log.findIndex((e) => e.kind === 'notice' && (e as { scope: string }).scope === 'quota');
  const audit = log.findIndex((e) => e.kind === 'audit' && (e as { action: string }).action === 'quota.change');
  t.ok(notice >= 0 && audit > notice, 'the notice is in the IMVU log before the change is recorded');
  await s.compute.vms.create(o, imvu, { ...SPEC, name: 'c', vcpus: 2 });
  await rejectsCode(t, () => s.compute.vms.create(o, imvu, { ...SPEC, name: 'd' }), 'GATE_CAPACITY_HONESTY', 'VM count quota (3) reached');
  for (const n of ['a', 'b', 'c']) await s.compute.vms.destroy(o, imvu, n);
});

t.test('metering: usage events from counters, none twice across an appliance restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-compute-restart-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const first = computeStack('test:///default', IMAGES, dir);
  const imvu = await ownedImvu(first, owner);
  await first.compute.vms.create(caller(owner), imvu, { ...SPEC, name: 'm1' });
  await first.compute.vms.start(caller(owner), imvu, 'm1');
  await new Promise((r) => setTimeout(r, 1100));
  const n = await first.compute.metering.sampleAll();
  t.ok(n > 0, `${n} usage events recorded`);
  const mem = first.entries(imvu).find((e) => e.kind === 'usage' && (e as { meter: string }).meter === 'vm.memory_mib_seconds') as { quantity: string } | undefined;
  t.ok(mem !== undefined && BigInt(mem.quantity) >= 128n, 'memory MiB-seconds for a second of 128 MiB');
  await first.close();

  // The appliance restarts over the same files (libvirt's test driver keeps the VM running).
  const again = computeStack('test:///default', IMAGES, dir);
  t.teardown(() => again.close());
  t.equal(again.store.cursor(`vm:${imvu}/m1`)?.seq, 1, 'the cursor was stored with the first sample');
  await again.compute.metering.sampleAll();
  const usage = again.entries(imvu).filter((e) => e.kind === 'usage') as unknown as { meter: string; quantity: string; id: string }[];
  const ids = usage.map((e) => e.id);
  t.equal(new Set(ids).size, ids.length, 'event ids are unique');
  // Billed CPU plus the carried remainder is exactly the last counter read: had the restart
  // billed the counter again from zero, the sum would exceed it.
  const cursor = again.store.cursor(`vm:${imvu}/m1`);
  const cpu = usage.filter((e) => e.meter === 'vm.vcpu_seconds').reduce((a, e) => a + BigInt(e.quantity), 0n);
  t.equal(cursor?.seq, 2);
  t.equal(cpu * 1_000_000_000n + (cursor?.carryCpuNs ?? 0n), cursor?.cpuTimeNs, 'billed CPU equals the counter, once');
  await again.compute.vms.destroy(caller(owner), imvu, 'm1');
});

t.test('export: standalone qcow2, portable XML, the declared spec', async (t) => {
  const imvu = await ownedImvu(s, owner);
  await s.compute.vms.create(caller(owner), imvu, { ...SPEC, name: 'ex1' });
  const out = join(s.dir, 'export-ex1');
  const x = await s.compute.exportVm(caller(owner), imvu, 'ex1', out);
  const info = JSON.parse((await runner.run(['qemu-img', 'info', '--output=json', join(out, 'disk.qcow2')])).stdout) as { format: string; 'backing-filename'?: string };
  t.equal(info.format, 'qcow2');
  t.equal(info['backing-filename'], undefined, 'no backing chain');
  const xml = readFileSync(join(out, 'domain.xml'), 'utf8');
  t.notOk(/<uuid>/.test(xml), 'no uuid');
  t.notOk(xml.includes(s.dir), 'no host path');
  t.match(xml, /<name>imvu-\d+-ex1<\/name>/);
  t.same(JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')), { ...SPEC, name: 'ex1' });
  t.match(x.disk.sha256, /^[0-9a-f]{64}$/);
  await rejectsCode(t, () => s.compute.exportVm(caller(stranger), imvu, 'ex1', join(s.dir, 'x2')), 'GATE_RESOURCE_BINDING', 'a stranger cannot export');
  await rejectsCode(t, () => s.compute.exportVm(caller(owner), imvu, 'ex1', `${s.dir}/../escape`), 'INPUT_INVALID', 'no traversal');
});
