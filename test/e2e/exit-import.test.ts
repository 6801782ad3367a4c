// Issue 10's whole scenario in one run, on the shipped processes and the real parts.
// Appliance A (`nexus-cos serve`: its knotd, its Haraka, qemu:///system) hosts an IMVU with a
// DNSSEC-signed domain, a mailbox holding a message delivered over SMTP, and a VM that
// booted and stamped its disk. The owner exits with `imvu-exit`; `imvu-verify` checks the
// bundle inside a network namespace whose only interface (loopback) is down. A is stopped
// and its VM and network leave the host. Appliance B (its own data directory, ports and
// image catalog) imports the bundle with `nexus-cos import`: B's knotd gives the same DNS
// answers, B's Maildir holds the same message bytes and the mailbox logs in with the same
// password, and the VM boots on B from the exported disk, reading back A's stamp.
import t from 'tap';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { LocalSigner, NexusClient, canonicalize, loadTrustedRoot, signRequest, toBase64, verifyLedgerSlice, type ImportReport } from '@nexus-cos/sdk';
import { networkNames } from '../../appliance/src/domain/network/names.js';
import { SqliteRegistry } from '../../appliance/src/registry/sqlite-registry.js';
import { DEFAULT_QUOTAS } from '../../appliance/src/services/index.js';
import { startKnot } from '../appliance/dns/knotd.js';
import { authAs, swaks } from '../appliance/mail/smtp.js';
import { eventually } from '../helpers/ports.js';
import { busyboxInitramfs, cloudKernel, diskUp, netUp, stampDisk } from '../helpers/tiny-vm.js';
import { IMVU_EXIT, IMVU_VERIFY, NEXUS_COS, healthy, init, ports, reap, serve, stop, type Ports, type Server } from './serve.js';

const run = promisify(execFile);
const URI = 'qemu:///system';
const DOMAIN = 'exit-e2e.example';
const BOX = `alice@${DOMAIN}`;
const PASSWORD = 'correct horse battery staple';
const POOLS = { 'pool-de': 'DE' };
const SPEC = { name: 'tiny', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };
// Networks, bridges and nft tables are host-wide and named from the IMVU's number, and tap
// runs files in parallel: this test's IMVU has a number no other test uses (see
// test/appliance/import/numbered.ts), set by a placeholder row in A's registry before serve.
const NUMBER = 781;
const ID = `IMVU-${NUMBER}`;
const net = networkNames(ID);
const HOST = `imvu-${NUMBER}-tiny`;
// A boot under TCG reaches the marker in about 15 s on a quiet machine; CI is not quiet.
const BOOT_MS = 150_000;
/** The guest data written into A's disk, and where: past the stamp, inside the 1 GiB disk. */
const FILL = 512 * 1024 * 1024;
const FILL_AT = 64 * 1024 * 1024;
/** The DNS questions whose answers must be the same on A and on B. */
const QUESTIONS = (selector: string): [string, string][] => [
  [DOMAIN, 'SOA'], [DOMAIN, 'NS'], [DOMAIN, 'MX'], [DOMAIN, 'TXT'], [DOMAIN, 'DNSKEY'], [`www.${DOMAIN}`, 'A'],
  [`_dmarc.${DOMAIN}`, 'TXT'], [`${selector}._domainkey.${DOMAIN}`, 'TXT'],
];

/** The guest's /init: stamps a blank disk or prints the stamp it finds, then powers off. */
const GUEST_INIT = [
  netUp(net.firstGuestIp),
  diskUp(),
  stampDisk(),
  'echo NEXUS-BOOT-OK',
  'sync',
  'poweroff -f',
].join('\n');

interface Appliance extends Ports {
  readonly dataDir: string;
  readonly dir: string;
}

/**
 * `nexus-cos init` in a fresh directory, then its config: claims checked against the
 * registrar's knotd, one DE storage pool, and compute on qemu:///system whose catalog's
 * `tiny` image (the cloud kernel and an initramfs running GUEST_INIT) is in its own files.
 */
async function appliance(name: string, registrarPort: number): Promise<Appliance> {
  const dir = mkdtempSync(join(tmpdir(), `nx-e2e-exit-${name}-`));
  const dataDir = join(dir, 'data');
  const made = init(dataDir, `${name}.e2e-exit.nexus-cos.invalid/log`);
  if (made.status !== 0) throw new Error(`init ${name}: ${made.stderr}`);
  const kernel = await cloudKernel();
  const vmlinuz = join(dir, 'vmlinuz');
  copyFileSync(kernel.vmlinuz, vmlinuz);
  const initrd = await busyboxInitramfs(dir, GUEST_INIT, kernel.modules, true);
  const file = join(dataDir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({
    ...config,
    storagePools: POOLS,
    dns: { resolvers: [`127.0.0.1:${registrarPort}`], nameservers: [`ns1.${name}.test`], soaEmail: `hostmaster@${name}.test` },
    compute: { uri: URI, domainType: 'qemu', meterIntervalMs: 60_000, images: { tiny: { kind: 'kernel', kernel: vmlinuz, initrd, cmdline: 'console=ttyS0 quiet panic=-1' } } },
  }), { mode: 0o600 });
  return { ...(await ports(dataDir)), dataDir, dir };
}

/** A signed request the SDK client has no method for yet (mail, VMs, networks); the answer's status and JSON. */
async function call(a: Appliance, signer: LocalSigner, method: 'POST' | 'PUT' | 'DELETE' | 'GET', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
  const authorization = await signRequest(signer, { method, path, body: bytes });
  const headers: Record<string, string> = { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await request(`${a.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: bytes }) });
  const text = await res.body.text();
  return { status: res.statusCode, json: text === '' ? undefined : JSON.parse(text) };
}

/** `kdig +short` of each question against `port`, each answer's lines sorted. */
function answers(port: number, questions: readonly [string, string][]): Record<string, string[]> {
  return Object.fromEntries(questions.map(([name, type]) => {
    const r = spawnSync('kdig', ['@127.0.0.1', '-p', String(port), '+tcp', '+short', name, type], { encoding: 'utf8' });
    return [`${name} ${type}`, r.stdout.trim().split('\n').filter((l) => l !== '').sort()];
  }));
}

/** The message files of a Maildir, `sub/name` to base64 bytes. */
function maildir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const sub of ['new', 'cur']) if (existsSync(join(dir, sub))) for (const n of readdirSync(join(dir, sub))) out.set(`${sub}/${n}`, readFileSync(join(dir, sub, n)).toString('base64'));
  return out;
}

/** Waits for `marker` in the serial log; returns the log. */
async function serialUntil(log: string, marker: string): Promise<string> {
  const read = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  return (await eventually(() => (read().includes(marker) ? read() : undefined), BOOT_MS)) ?? read();
}

async function virsh(...args: string[]): Promise<string> {
  return (await run('virsh', ['-c', URI, ...args], { timeout: 120_000 })).stdout;
}

/** Waits until libvirt reports the VM shut off (its guest powered itself off). */
async function shutOff(): Promise<boolean> {
  return (await eventually(async () => (await virsh('domstate', HOST).catch(() => '')).trim() === 'shut off', 60_000)) === true;
}

/** Removes the VM's domain, the network's rule table and the network from this host, if there. */
async function removeFromHost(): Promise<void> {
  await virsh('destroy', HOST).catch(() => '');
  await virsh('undefine', HOST, '--snapshots-metadata').catch(() => '');
  await run('nft', ['delete', 'table', 'inet', net.table]).catch(() => undefined);
  await virsh('net-destroy', net.network).catch(() => '');
  await virsh('net-undefine', net.network).catch(() => '');
}

/** A process's peak resident memory so far (VmHWM), KiB; 0 once it is gone. */
function peakKiB(pid: number): number {
  try {
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Runs a CLI (node script) to its end: exit code, both outputs and, sampled, its peak memory. */
async function cli(argv: readonly string[], sample = false): Promise<{ code: number; out: string; err: string; peakKiB: number }> {
  const child = execFile(argv[0] as string, argv.slice(1), { maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
  let peak = 0;
  const timer = sample ? setInterval(() => (peak = Math.max(peak, peakKiB(child.pid ?? 0))), 20) : undefined;
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: string) => (out += c));
  child.stderr?.on('data', (c: string) => (err += c));
  // 'close', not 'exit': only then has all of its output been read.
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  clearInterval(timer);
  return { code, out, err, peakKiB: peak };
}

t.test('domain, mail and a VM on A; exit; verify with no network; import into B: same DNS, same mail, the VM boots', async (t) => {
  await removeFromHost(); // leftovers of an interrupted run
  t.teardown(() => removeFromHost());
  const registrar = await startKnot();
  t.teardown(() => registrar.stop());
  await registrar.dns.createZone(DOMAIN, { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });

  const seed = crypto.getRandomValues(new Uint8Array(32));
  const owner = LocalSigner.fromSeed(seed);
  const A = await appliance('a', registrar.port);
  const B = await appliance('b', registrar.port);
  t.teardown(() => [A.dir, B.dir].forEach((d) => rmSync(d, { recursive: true, force: true })));
  const keyFile = join(A.dir, 'owner.key');
  writeFileSync(keyFile, toBase64(seed), { mode: 0o600 });

  // The placeholder row that makes A's next IMVU number NUMBER (no ledger entry: it is never used).
  const registry = new SqliteRegistry(join(A.dataDir, 'registry.sqlite'));
  await registry.change((w) => w.insertImvu({ id: `IMVU-${NUMBER - 1}`, owner: owner.publicKey.id, jurisdiction: 'DE', status: 'active', quotas: DEFAULT_QUOTAS, storagePool: 'pool-de', createdAt: new Date().toISOString() }), () => Promise.resolve([]));
  registry.close();

  // ---- Appliance A: a domain, a mailbox with mail, a VM. ----
  const a: Server = serve(A.flags);
  t.teardown(() => reap(a));
  const ca = new NexusClient({ baseUrl: A.baseUrl, signer: owner, retryDelayMs: 50 });
  t.teardown(() => ca.close());
  t.ok(await healthy(ca, 60_000), 'A is healthy');
  await ca.registerIdentity({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  const imvu = await ca.createImvu({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.equal(imvu.id, ID, 'the IMVU has this test\u2019s number');
  await ca.grantConsent(ID, 'mail.processing');

  const challenge = await ca.domains.claim(ID, DOMAIN);
  await registrar.dns.applyChange(DOMAIN, [{ name: challenge.record.name, type: 'TXT', ttl: 300, records: [`"${challenge.record.value}"`] }]);
  const bound = await ca.domains.verify(ID, DOMAIN);
  await ca.domains.changeRRsets(ID, DOMAIN, [{ name: `www.${DOMAIN}`, type: 'A', ttl: 300, records: ['192.0.2.80'] }]);

  const mail = await call(A, owner, 'POST', `/v1/imvus/${ID}/mail/${DOMAIN}`);
  t.equal(mail.status, 200, `mail enabled on A: ${JSON.stringify(mail.json)}`);
  const selector = (mail.json as { selector: string }).selector;
  const box = await call(A, owner, 'POST', `/v1/imvus/${ID}/mailboxes`, { address: BOX, password: PASSWORD });
  t.equal(box.status, 201, `mailbox created on A: ${JSON.stringify(box.json)}`);
  const sent = await swaks(A.smtpPort, ['--from', 'sender@remote.test', '--to', BOX, '--header', 'Subject: before the exit', '--body', 'NEXUS-MAIL-E2E']);
  t.equal(sent.exit, 0, `A's Haraka accepted the message: ${sent.reply}`);
  const maildirA = join(A.dataDir, 'mail', 'maildirs', DOMAIN, 'alice');
  const mailOnA = await eventually(() => (maildir(maildirA).size > 0 ? maildir(maildirA) : undefined), 30_000) ?? new Map<string, string>();
  t.equal(mailOnA.size, 1, 'and delivered it to the mailbox\u2019s Maildir');
  t.match(Buffer.from([...mailOnA.values()][0] ?? '', 'base64').toString(), 'NEXUS-MAIL-E2E');

  const policy = { egress: [{ proto: 'tcp', cidr: `${net.hostIp}/32`, port: 8080 }], ingress: [] };
  const declared = await call(A, owner, 'PUT', `/v1/imvus/${ID}/network`, { policy });
  t.equal(declared.status, 200, `network declared on A: ${JSON.stringify(declared.json)}`);
  t.equal((await call(A, owner, 'POST', `/v1/imvus/${ID}/vms`, SPEC)).status, 201, 'VM created on A');
  t.equal((await call(A, owner, 'POST', `/v1/imvus/${ID}/vms/tiny/start`)).status, 200, 'and started');
  const onA = await serialUntil(join(A.dataDir, 'console', `${HOST}.log`), 'NEXUS-BOOT-OK');
  const stamp = /NEXUS-DISK-WROTE=(NEXUS-DISK-[0-9a-f-]{36})/.exec(onA)?.[1];
  t.ok(stamp, `A's first boot stamped its disk (${stamp ?? onA.slice(-500)})`);
  t.ok(await shutOff(), 'the guest powered off: its disk is quiescent for the export');
  // The guest's data: FILL bytes of a pattern past its stamp, written into A's disk while the
  // VM is off, so the bundle is as large as a used disk and memory use can be told from it.
  const diskOnA = join(A.dataDir, 'pools', 'pool-de', `${HOST}.qcow2`);
  await run('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a ${FILL_AT} ${FILL}`, diskOnA]);

  const questions = QUESTIONS(selector);
  const dnsOnA = answers(A.knotPort, questions);
  t.same(dnsOnA[`www.${DOMAIN} A`], ['192.0.2.80'], 'A serves the changed record');
  t.ok(Object.values(dnsOnA).every((v) => v.length > 0), `A answers every question: ${JSON.stringify(dnsOnA)}`);

  // ---- The exit, and verification with no network. ----
  const root = await ca.getTrustedRoot();
  const rootFile = join(A.dir, 'trusted-root.json');
  writeFileSync(rootFile, `${canonicalize(root)}\n`);
  const bundleFile = join(A.dir, `${ID}.exit.tar`);
  const exit = await cli([process.execPath, IMVU_EXIT, '--imvu-id', ID, '--key', keyFile, '--out', bundleFile, '--appliance', A.baseUrl, '--trusted-root', rootFile, '--json']);
  t.equal(exit.code, 0, `imvu-exit exits 0: ${exit.err.slice(-1000)}`);
  t.ok(existsSync(bundleFile), 'and leaves the verified bundle under its name');

  const ns = `nx-e2e-exit-${process.pid}`;
  await run('ip', ['netns', 'add', ns]);
  t.teardown(() => run('ip', ['netns', 'del', ns]).then(() => undefined));
  const links = (await run('ip', ['netns', 'exec', ns, 'ip', '-o', 'link'])).stdout.trim().split('\n');
  t.same(links.length, 1, 'the namespace has one interface');
  t.match(links[0], /^1: lo: <LOOPBACK>/, 'loopback, and it is down');
  const verified = await cli(['ip', 'netns', 'exec', ns, process.execPath, IMVU_VERIFY, 'bundle', bundleFile, '--trusted-root', rootFile, '--json']);
  t.equal(verified.code, 0, `imvu-verify exits 0 with no network: ${verified.out}`);
  const report = JSON.parse(verified.out) as { valid: boolean; imvu: string; trust: string; entries: number };
  t.match(report, { valid: true, imvu: ID, trust: 'given' });
  t.equal(report.entries, verifyLedgerSlice(await ca.getLedgerSlice(ID), loadTrustedRoot(root)).entries.length, 'every entry of the IMVU\u2019s chain, and no other');

  // ---- A is gone: its VM through its API, then A itself, then its network from the host. ----
  t.equal((await call(A, owner, 'DELETE', `/v1/imvus/${ID}/vms/tiny`)).status, 204, 'A destroys the VM and its disk');
  await stop(t, a, 'A');
  await removeFromHost();
  t.notOk((await virsh('list', '--all', '--name')).split('\n').map((l) => l.trim()).includes(HOST), 'no VM of A is left on this host');

  // ---- Appliance B imports the bundle. ----
  const b = serve(B.flags);
  t.teardown(() => reap(b));
  const cb = new NexusClient({ baseUrl: B.baseUrl, signer: owner, retryDelayMs: 50 });
  t.teardown(() => cb.close());
  t.ok(await healthy(cb, 60_000), 'B is healthy');
  await cb.registerIdentity({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.ok(statSync(bundleFile).size > FILL, `the bundle holds the filled disk (${statSync(bundleFile).size} bytes)`);
  const bBefore = peakKiB(b.proc.pid ?? 0);
  const imported = await cli([process.execPath, NEXUS_COS, 'import', bundleFile, '--key', keyFile, '--appliance', B.baseUrl, '--trusted-root', rootFile], true);
  t.equal(imported.code, 0, `nexus-cos import exits 0: ${imported.err.slice(-1000)}`);
  // Streamed end to end: neither the command nor B holds the bundle (or the disk) in memory.
  const bGrew = peakKiB(b.proc.pid ?? 0) - bBefore;
  t.ok(bGrew * 1024 < FILL / 4, `B's peak memory grew by ${bGrew} KiB importing a bundle of more than ${FILL >> 20} MiB`);
  t.same(readdirSync(join(B.dataDir, 'imports')), [], 'B keeps no staged copy of the bundle or its disk');
  t.ok(imported.peakKiB * 1024 < FILL, `the import command's peak memory was ${imported.peakKiB} KiB, less than the disk alone`);
  const r = JSON.parse(imported.out) as ImportReport & { verifiedLocally: unknown };
  // The CLI verified against A's trusted root; B, which does not know A's key, against the bundle's own.
  t.match(r, { verifiedLocally: { trust: 'given', entries: report.entries }, imvu: ID, trust: 'bundled', zones: [DOMAIN], mailboxes: [BOX], vms: [{ name: 'tiny', state: 'running' }] });
  t.equal(r.network?.name, net.network, 'on the network A declared');
  t.match(r.dnssec, [{ zone: DOMAIN, keys: 'kept' }], 'with the zone\u2019s own DNSSEC keys, opened by the owner\u2019s key');

  const onB = await serialUntil(join(B.dataDir, 'console', `${HOST}.log`), 'NEXUS-BOOT-OK');
  t.match(onB, 'NEXUS-BOOT-OK', 'the VM boots on B to its marker');
  t.match(onB, `NEXUS-DISK-READ=${stamp ?? 'none'}`, 'from the exported disk: it reads back the stamp A\u2019s boot wrote');
  t.ok(await shutOff(), 'and powers off');
  const diskOnB = join(B.dataDir, 'pools', 'pool-de', `${HOST}.qcow2`);
  const pattern = await run('qemu-io', ['-r', '-f', 'qcow2', '-c', `read -P 0x5a ${FILL_AT} ${FILL}`, diskOnB]).then(() => true, () => false);
  t.ok(pattern, 'B\u2019s disk holds the guest\u2019s data too, every byte');

  // The SOA is the serving operator's own record (primary server, contact, serial), never
  // tenant data: B's names B. Every other answer, DNSKEY and the signed RRsets included, is A's.
  const dnsOnB = answers(B.knotPort, questions);
  t.match(dnsOnB[`${DOMAIN} SOA`], [/^ns1\.b\.test\. hostmaster\.b\.test\. \d+ /], 'B serves the SOA as B');
  const tenant = (x: Record<string, string[]>) => Object.fromEntries(Object.entries(x).filter(([q]) => !q.endsWith(' SOA')));
  t.same(tenant(dnsOnB), tenant(dnsOnA), 'B\u2019s knotd gives the same answers as A\u2019s, DNSKEY included');
  t.same((await cb.domains.get(ID, DOMAIN)).dnssec.ds, bound.dnssec.ds, 'and the same DS, so the parent\u2019s delegation holds');

  const maildirB = join(B.dataDir, 'mail', 'maildirs', DOMAIN, 'alice');
  t.same(maildir(maildirB), mailOnA, 'B\u2019s Maildir holds the same message, byte for byte');
  const login = await swaks(B.smtpPort, ['--from', BOX, '--to', BOX, ...authAs(BOX, PASSWORD), '--quit-after', 'AUTH']);
  t.equal(login.exit, 0, `the mailbox logs in on B with its password: ${login.reply}`);

  const check = await call(B, owner, 'GET', `/v1/imvus/${ID}/network/check`);
  t.same((check.json as { drift: unknown[] }).drift, [], 'B\u2019s kernel holds exactly the declared rules');
  const slice = verifyLedgerSlice(await cb.getLedgerSlice(ID), loadTrustedRoot(await cb.getTrustedRoot()));
  t.ok(slice.entries.some((e) => e.entry.kind === 'import'), 'B\u2019s chain for the IMVU continues from the import link, signed by B');
  await stop(t, b, 'B');
});
