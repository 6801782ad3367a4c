// Import of the compute section on libvirt's test driver with real qcow2 disks: appliance A
// exports an IMVU with two VMs (a disk written with a pattern by qemu-io), A's domains go
// (the test driver is one host per process), and B re-creates both VMs from spec.json with
// their disks byte for byte, starts them, and records them in its chain. A failure midway
// leaves nothing on B; an appliance without compute refuses before anything exists.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { GATE_DECISION_MEDIA_TYPE, TrustedKeys, fromUtf8, openJsonEnvelope, sha256, toHex, verifyExitBundle, type GateDecision, type ImportReport, type LedgerEntryOf } from '@nexus-cos/sdk';
import { platform } from '../../helpers/ledger.js';
import { computeSection } from '../../../appliance/src/exit/sections/compute.js';
import { assertStandaloneHeader } from '../../../appliance/src/import/compute.js';
import { throwsCode } from '../../helpers/codes.js';
import { unpack } from '../../helpers/tar.js';
import { caller } from '../compute/harness.js';
import { entries, key, operator, register, send, stack, type Stack } from '../http/harness.js';
import { bundleOf, manifestDigest } from './bundle-of.js';
import { refusedWithoutCompute } from './no-compute.js';

const run = promisify(execFile);
const owner = key(81);
const SPEC = { vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };

// Appliance A: an IMVU with VMs db1 and web1; web1's disk holds a 64 KiB pattern.
const a = await stack();
t.teardown(() => a.close());
await register(a.app, owner);
const id = (await a.services.imvus.create(caller(owner), { jurisdiction: 'DE', consents: ['identity.attributes'] })).id;
const compute = a.services.compute;
const deps = a.compute;
if (compute === undefined || deps === undefined) throw new Error('the stack has compute');
const hosts = { db1: `${id.toLowerCase()}-db1`, web1: `${id.toLowerCase()}-web1` };
for (const name of ['db1', 'web1']) await compute.vms.create(caller(owner), id, { name, ...SPEC });
await run('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 64k', deps.store.vm(id, 'web1')?.disk ?? '']);
const bundle = await bundleOf(a, id, undefined, [computeSection(deps)]);
const manifest = await manifestDigest(bundle);
const members = new Map((await unpack(bundle)).map((m) => [m.name, m.bytes]));
// The operator then lowers the IMVU's quota to one VM (A keeps both: a lowered quota stops
// new VMs, it does not delete running ones); a bundle taken now carries that quota.
await a.services.imvus.changeQuota(caller(operator), id, { vcpus: 4, memoryMiB: 8192, diskGiB: 100, vms: 1 }, 'capacity plan 2027: one VM per tenant');
const overQuota = await bundleOf(a, id, undefined, [computeSection(deps)]);
// A is gone: its domains leave the (process-wide) test driver, as they would leave A's host.
for (const h of Object.values(hosts)) await deps.hypervisor.undefine(h, false);

const b = await stack();
t.teardown(() => b.close());
await register(b.app, owner);
const bc = b.compute;
if (bc === undefined) throw new Error('B has compute');
t.teardown(async () => {
  for (const h of Object.values(hosts)) if ((await bc.hypervisor.status(h)) !== undefined) await bc.hypervisor.destroy(h).catch(() => undefined).then(() => bc.hypervisor.undefine(h, false));
});

const importInto = (s: Stack) => send(s.app, owner, 'POST', `/v1/imports?manifest=${manifest}`, undefined, { raw: bundle, contentType: 'application/x-tar' });
const diskOnB = (name: 'db1' | 'web1') => join(b.dir, `${hosts[name]}.qcow2`);

/** Asserts `s` holds nothing of the IMVU: no record, VM, domain, disk or chain. */
async function nothingOn(t: Test, s: Stack): Promise<void> {
  t.equal(s.registry.imvu(id), undefined, 'no IMVU record');
  t.same(s.compute?.store.vms(id) ?? [], [], 'no VM in the compute store');
  for (const [name, h] of Object.entries(hosts)) {
    t.equal(await s.compute?.hypervisor.status(h), undefined, `no domain ${h}`);
    t.notOk(existsSync(join(s.dir, `${h}.qcow2`)), `no disk of ${name}`);
  }
  await s.ledger.flush();
  t.equal(s.ledger.chains.head(id), undefined, 'no chain for the IMVU');
}

t.test('the bundle carries both VMs: spec, domain XML and a standalone disk each', async (t) => {
  for (const name of ['db1', 'web1']) {
    t.same(JSON.parse(members.get(`compute/${name}/spec.json`)?.toString() ?? '{}'), { name, ...SPEC }, `${name}'s declared spec`);
    t.ok(members.has(`compute/${name}/domain.xml`), `${name}'s domain XML`);
    t.doesNotThrow(() => assertStandaloneHeader(members.get(`compute/${name}/disk.qcow2`) ?? Buffer.alloc(0), name), `${name}'s disk is a standalone qcow2`);
  }
});

t.test('an appliance without compute refuses a bundle with VMs before anything exists', async (t) => {
  await refusedWithoutCompute(t, owner, bundle, manifest, id, 'compute/db1/spec.json');
});

t.test('a failure midway (web1\u2019s disk path taken on B) undoes db1\u2019s disk and domain', async (t) => {
  writeFileSync(diskOnB('web1'), 'not ours');
  t.teardown(() => rmSync(diskOnB('web1'), { force: true }));
  const r = await importInto(b);
  t.equal(r.statusCode, 409, 'conflict');
  t.match(r.json(), { code: 'CONFLICT', field: 'compute/web1/disk.qcow2' });
  t.equal(readFileSync(diskOnB('web1'), 'utf8'), 'not ours', 'the file in the way is untouched');
  rmSync(diskOnB('web1'));
  await nothingOn(t, b);
});

t.test('a VM name already defined on B is refused before any effect', async (t) => {
  await bc.hypervisor.define(`<domain type="test"><name>${hosts.web1}</name><memory>65536</memory><os><type>hvm</type></os></domain>`);
  t.teardown(() => bc.hypervisor.undefine(hosts.web1, false));
  const r = await importInto(b);
  t.match(r.json(), { code: 'CONFLICT', field: 'compute/web1/spec.json' }, 'names the VM');
  t.equal(b.registry.imvu(id), undefined, 'no IMVU record');
  t.equal(await bc.hypervisor.status(hosts.db1), undefined, 'db1 was not defined');
  t.notOk(existsSync(diskOnB('db1')), 'nor its disk written');
});

t.test('VMs beyond the quota the bundle\u2019s record carries are refused by gate 12 before anything exists', async (t) => {
  const r = await send(b.app, owner, 'POST', `/v1/imports?manifest=${await manifestDigest(overQuota)}`, undefined, { raw: overQuota, contentType: 'application/x-tar' });
  t.equal(r.statusCode, 403, 'forbidden');
  t.match(r.json(), { code: 'GATE_CAPACITY_HONESTY', field: '/gates/12' }, 'gate 12 names itself');
  await b.ledger.flush();
  const denial = entries(b.ledger).filter((e) => e.kind === 'gate_decision').at(-1) as LedgerEntryOf<'gate_decision'> | undefined;
  t.match(denial, { action: 'imvu.import', decision: 'deny', failed: [12] }, 'the denial is logged, gate 12 alone failed');
  const doc = b.ledger.store.document(denial?.digest ?? '');
  const opened = openJsonEnvelope(JSON.parse(fromUtf8(doc?.bytes ?? new Uint8Array())), { trusted: new TrustedKeys([platform.publicKey]), payloadType: GATE_DECISION_MEDIA_TYPE });
  const results = (opened.value as GateDecision).results;
  t.match(results.find((g) => g.gate === 12), { code: 'QUOTA_EXCEEDED', evidence: { dimension: 'vms', vms: '2', limit: '1' } }, 'two VMs, one allowed');
  t.match(results.find((g) => g.gate === 4), { evidence: { resources: '2', meter: 'attached' } }, 'gate 4: each VM had its meter while judged');
  await nothingOn(t, b);
});

t.test('B defines each VM from its spec with the exported disk byte for byte, starts it and records it', async (t) => {
  const r = await importInto(b);
  t.equal(r.statusCode, 201, r.body);
  const report = r.json() as ImportReport;
  t.same(report.vms, [{ name: 'db1', state: 'running' }, { name: 'web1', state: 'running' }], 'both imported and started');
  for (const name of ['db1', 'web1'] as const) {
    const v = bc.store.vm(id, name);
    t.match(v, { spec: { name, ...SPEC }, host: hosts[name], pool: 'pool-de', disk: diskOnB(name), state: 'running' }, `${name} recorded as running`);
    t.equal((await bc.hypervisor.status(hosts[name]))?.state, 'running', `${name} runs on B`);
    t.ok(readFileSync(diskOnB(name)).equals(members.get(`compute/${name}/disk.qcow2`) ?? Buffer.alloc(0)), `${name}'s disk is the exported one, byte for byte`);
  }
  const read = await run('qemu-io', ['-f', 'qcow2', '-c', 'read -P 0x5a 0 64k', diskOnB('web1')]);
  t.notMatch(read.stdout, /verification failed/i, 'the guest data reads back as written on A');
  t.match(read.stdout, /read 65536\/65536 bytes/, 'all 64 KiB read');

  await b.ledger.flush();
  const log = entries(b.ledger).filter((e) => e.imvu === id);
  const created = log.filter((e) => e.kind === 'compute') as unknown as { vm: string; op: string; config: string }[];
  t.same(created.map((e) => [e.vm, e.op, e.config]), (['db1', 'web1'] as const).map((n) => [hosts[n], 'create', toHex(sha256(members.get(`compute/${n}/spec.json`) ?? Buffer.alloc(0)))]), 'one compute entry per VM, its config the digest of spec.json');
  const audits = log.filter((e) => e.kind === 'audit').map((e) => (e as { action: string }).action);
  t.same(audits, ['imvu.import', 'vm.start', 'vm.start'], 'the import, then each start, audited');
  t.ok(log.findIndex((e) => e.kind === 'import') < log.findIndex((e) => e.kind === 'compute'), 'the compute entries follow the import link');

  // B's own exit of the imported IMVU, VMs included, verifies: the new chain is sound.
  const again = await bundleOf(b, id, undefined, [computeSection(bc)]);
  t.equal((await verifyExitBundle([again])).imvu, id, 'B\u2019s exit of the imported IMVU verifies');
});

t.test('a disk with a backing file is not standalone, so it is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-vmimport-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await run('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'base.qcow2'), '1M']);
  await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', join(dir, 'base.qcow2'), '-F', 'qcow2', join(dir, 'overlay.qcow2')]);
  throwsCode(t, () => assertStandaloneHeader(readFileSync(join(dir, 'overlay.qcow2')), 'compute/x/disk.qcow2'), 'BUNDLE_STATE_MISMATCH', 'a backing file');
  throwsCode(t, () => assertStandaloneHeader(new TextEncoder().encode('not a disk'.repeat(20)), 'compute/x/disk.qcow2'), 'BUNDLE_STATE_MISMATCH', 'not qcow2');
  t.doesNotThrow(() => assertStandaloneHeader(readFileSync(join(dir, 'base.qcow2')), 'base'), 'a standalone qcow2 passes');
});
