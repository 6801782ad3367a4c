// The mail, compute and network sections of an exit bundle, built from a real stack (a
// Maildir written by the plugin's code, mail entries recorded by the real authority, a VM
// with a real qcow2 disk on libvirt's test driver) and verified with the SDK alone.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { bothPaths } from './both-paths.js';
import { Value } from '@sinclair/typebox/value';
import {
  COMPUTE_API_SCHEMAS, openSealed, readMbox, verifyExitBundle, type ErrorCode, type MailboxState, type MemberSink,
} from '@nexus-cos/sdk';
import { trustedRoot, platform } from '../../helpers/ledger.js';
import { repack, resign, unpack, type Raw } from '../../helpers/tar.js';
import { mailSection } from '../../../appliance/src/exit/sections/mail.js';
import { FileSink } from '../../../appliance/src/adapters/fs/file-sink.js';
import { BOX, D, MESSAGES, POLICY, SPEC, ownerSeed, sectionsWorld } from './sections-world.js';

const w = await sectionsWorld(t);
const bundle = await w.bundle();
const members = await unpack(bundle);
const get = (name: string): Buffer => {
  const m = members.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no member ${name}`);
  return m.bytes;
};
// sha256sum, not our own code, computes the digests the state must record.
const sha = (b: Uint8Array): string => execFileSync('sha256sum', { input: b }).toString().slice(0, 64);
const MAILDIR = new RegExp(`^mail/${D}/bob/Maildir/(cur|new)/`);

async function refused(t: Test, b: Buffer, code: ErrorCode, field: RegExp, msg: string): Promise<void> {
  const [one, onWorkers] = await bothPaths(b, trustedRoot);
  t.same(onWorkers, one, `${msg}: the same on worker threads`);
  const r = one as { code?: string; field?: string };
  t.equal(r.code, code, `${msg}: ${code}`);
  t.match(r?.field ?? '', field, `${msg}: names ${String(field)}`);
}

t.test('a bundle with the mail, compute and network sections verifies offline', async (t) => {
  const v = await verifyExitBundle([bundle], trustedRoot);
  t.equal(v.imvu, w.id);
  const names = members.map((m) => m.name);
  for (const p of [`mail/${D}/dkim.json`, `secrets/mail/${D}/dkim.pem.sealed`, `mail/${D}/bob.mbox`, `mail/${D}/bob/state.json`,
    `secrets/mail/${D}/bob/credential.json.sealed`, 'compute/web1/disk.qcow2', 'compute/web1/domain.xml', 'compute/web1/spec.json', 'network/rules.json']) {
    t.ok(names.includes(p), `holds ${p}`);
  }
  t.equal(names.at(-1), 'manifest.json', 'the manifest is still last');
});

t.test('the mailbox: Maildir files, mbox and state agree with what was delivered', async (t) => {
  const maildir = members.filter((m) => MAILDIR.test(m.name));
  t.equal(maildir.length, MESSAGES.length, 'every delivered message is a Maildir member');
  const expected = MESSAGES.map((m) => ({ sha256: sha(Buffer.from(m, 'latin1')), size: String(Buffer.byteLength(m, 'latin1')) }))
    .sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
  const state = JSON.parse(get(`mail/${D}/bob/state.json`).toString()) as MailboxState;
  t.same(state, { v: 1, mailbox: BOX, messages: expected }, 'state.json: each message by SHA-256 and size, sorted');
  t.same(maildir.map((m) => m.bytes.toString('latin1')).sort(), [...MESSAGES].sort(), 'the Maildir files are the stored bytes');
  const read = maildir.find((m) => m.name.includes('/cur/'));
  t.match(read?.name ?? '', /_3a2_2cS$/, 'a flagged name (":2,S") is mapped into the bundle grammar');
  const mbox = get(`mail/${D}/bob.mbox`);
  t.match(mbox.toString('latin1'), /\r\n>From the start of a line\r\n>>From already quoted\r\n/, 'mboxrd escapes From lines, CRLF kept');
  t.same(readMbox(mbox)?.map((b) => Buffer.from(b).toString('latin1')).sort(), [...MESSAGES].sort(), 'reading the mbox back gives the stored bytes');
  const dkim = JSON.parse(get(`mail/${D}/dkim.json`).toString()) as { selector: string; publicKey: string; algorithm: string };
  t.equal(dkim.algorithm, 'rsa-sha256');
  t.match(dkim.selector, /^nx\d{8}$/);
  const txt = w.dns.dns.zones.get(D)?.rrsets.find((r) => r.name === `${dkim.selector}._domainkey.${D}` && r.type === 'TXT')?.records.join('') ?? '';
  t.ok(txt.replace(/[" ]/g, '').includes(`p=${dkim.publicKey}`), 'dkim.json has the key exactly as published in DNS');
});

t.test('sealed secrets open with the owner seed only, and hold no plaintext password', async (t) => {
  const dkimPath = `secrets/mail/${D}/dkim.pem.sealed`;
  const pem = Buffer.from(openSealed(get(dkimPath), dkimPath, ownerSeed)).toString();
  t.match(pem, /^-----BEGIN PRIVATE KEY-----/, 'the DKIM private key, as Haraka signs with it');
  t.same(pem, execFileSync('cat', [join(w.s.dir, 'dkim', D, 'private')]).toString(), 'exactly the stored key');
  const dkim = JSON.parse(get(`mail/${D}/dkim.json`).toString()) as { publicKey: string };
  const pub = execFileSync('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: pem }).toString('base64');
  t.equal(dkim.publicKey, pub, 'dkim.json carries the public half of the sealed key');
  const credPath = `secrets/mail/${D}/bob/credential.json.sealed`;
  const cred = JSON.parse(Buffer.from(openSealed(get(credPath), credPath, ownerSeed)).toString()) as { mailbox: string; credential: string };
  t.equal(cred.mailbox, BOX);
  t.match(cred.credential, /^scrypt\$16384\$8\$1\$/, 'the stored scrypt hash');
  t.notMatch(JSON.stringify(cred), /correct horse/, 'never the password');
  for (const m of members) t.notMatch(m.bytes.toString('latin1'), /correct horse battery|BEGIN PRIVATE KEY/, `${m.name} holds no clear secret`);
  t.throws(() => openSealed(get(credPath), credPath, new Uint8Array(32).fill(99)), { code: 'SEALED_OPEN_FAILED' }, 'another key cannot open it');
  t.throws(() => openSealed(get(credPath), dkimPath, ownerSeed), { code: 'SEALED_OPEN_FAILED' }, 'nor at another path');
});

t.test('compute: the declared spec, a sanitized domain XML, a standalone qcow2; network: the declared rules', async (t) => {
  t.same(JSON.parse(get('compute/web1/spec.json').toString()), SPEC, 'spec.json is the create body');
  t.ok(Value.Check(COMPUTE_API_SCHEMAS.VmSpec, JSON.parse(get('compute/web1/spec.json').toString())), 'and the create API accepts it');
  const xml = get('compute/web1/domain.xml').toString();
  t.match(xml, /<name>[a-z0-9-]*web1<\/name>/, 'the domain is named');
  t.notMatch(xml, /<uuid>|<mac |seclabel/, 'no UUID, MAC or security label');
  t.notMatch(xml, /(file|path)="\/|>\//, 'no host path');
  const disk = get('compute/web1/disk.qcow2');
  t.equal(disk.subarray(0, 4).toString('latin1'), 'QFI\xfb', 'a qcow2 image');
  const out = join(w.s.dir, 'exported.qcow2');
  writeFileSync(out, disk);
  const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', out]).toString()) as { format: string; 'virtual-size': number; 'backing-filename'?: string };
  t.equal(info.format, 'qcow2');
  t.equal(info['virtual-size'], SPEC.diskGiB * 2 ** 30, 'of the declared size');
  t.equal(info['backing-filename'], undefined, 'with no backing file the importer would lack');
  const rules = JSON.parse(get('network/rules.json').toString()) as unknown;
  t.same(rules, { policy: POLICY }, 'network/rules.json is the declared policy');
  t.ok(Value.Check(COMPUTE_API_SCHEMAS.DeclareNetwork, rules), 'as the network API takes it');
});

t.test('without config.compute the compute and network sections are absent', async (t) => {
  const b = await w.bundle({ compute: false });
  const names = (await unpack(b)).map((m) => m.name);
  t.notOk(names.some((n) => n.startsWith('compute/') || n.startsWith('network/')), 'no compute/ or network/ member');
  t.equal((await verifyExitBundle([b], trustedRoot)).imvu, w.id, 'and it verifies');
});

t.test('tampered mail fails, naming the file', async (t) => {
  const msg = members.find((m) => MAILDIR.test(m.name)) as Raw;
  const flip = (name: string): Raw[] => members.map((m) => (m.name === name ? { name, bytes: Buffer.from(m.bytes.toString('latin1').replace('e', 'E'), 'latin1') } : m));
  await refused(t, await repack(flip(msg.name)), 'BUNDLE_DIGEST_MISMATCH', new RegExp(`^${msg.name}$`), 'a changed message byte');
  await refused(t, await repack(resign(flip(msg.name), platform)), 'BUNDLE_STATE_MISMATCH', new RegExp(`^${msg.name}$`), 'a changed message byte, manifest re-signed by the platform');
  await refused(t, await repack(resign(flip(`mail/${D}/bob.mbox`), platform)), 'BUNDLE_STATE_MISMATCH', new RegExp(`^mail/${D}/bob\\.mbox`), 'a changed mbox byte, re-signed');
  const dropped = members.filter((m) => m.name !== msg.name);
  await refused(t, await repack(resign(dropped, platform)), 'BUNDLE_STATE_MISMATCH', new RegExp(`^mail/${D}/bob/state\\.json$`), 'a Maildir message left out');
});

t.test('mail delivered after the export is anchored is left for the next export', async (t) => {
  const late = 'From: late@remote.test\r\nSubject: late\r\n\r\narrived mid-export\r\n';
  const b = await w.bundle({ afterPin: async () => void (await w.deliver(late)) });
  const v = await verifyExitBundle([b], trustedRoot);
  t.equal(v.imvu, w.id, 'the bundle verifies against its anchor');
  const inBox = (await unpack(b)).filter((m) => MAILDIR.test(m.name)).map((m) => m.bytes.toString('latin1'));
  t.notOk(inBox.includes(late), 'the late message is not in this bundle');
  t.ok(MESSAGES.every((m) => inBox.includes(m)), 'the earlier ones are');
  const next = await unpack(await w.bundle());
  t.ok(next.filter((m) => MAILDIR.test(m.name)).some((m) => m.bytes.toString('latin1') === late), 'the next export carries it');
});

t.test('a message the ledger never recorded fails BUNDLE_STATE_MISMATCH', async (t) => {
  await w.deliver('From: x@remote.test\r\nSubject: unmetered\r\n\r\nsneaked in\r\n', false);
  await refused(t, await w.bundle(), 'BUNDLE_STATE_MISMATCH', new RegExp(`^mail/${D}/bob/state\\.json#/messages/\\d+$`), 'unmetered message');
});

// Last: it changes the live Maildir under the export.
t.test('messages flagged or rewritten while the bundle streams do not change what streams', async (t) => {
  // As the builder does: each source is read whole before the next is asked for.
  const live = join(w.mailRoot, D, 'bob');
  const streamed = new Map<string, Buffer>();
  for await (const s of mailSection(w.mailDeps).files(w.id)) {
    if (s.path === `mail/${D}/bob.mbox`) {
      // The mailbox is frozen once its first file is listed: now a client rewrites and flags messages.
      for (const n of readdirSync(join(live, 'new'))) appendFileSync(join(live, 'new', n), 'MUTATED\r\n');
      for (const n of readdirSync(join(live, 'new')).slice(0, 1)) renameSync(join(live, 'new', n), join(live, 'cur', `${n}:2,RS`));
    }
    const chunks: Uint8Array[] = [];
    for await (const c of s.open()) chunks.push(c);
    const b = Buffer.concat(chunks);
    t.equal(b.length, s.size, `${s.path}: streams exactly its declared size`);
    streamed.set(s.path, b);
  }
  const maildir = [...streamed].filter(([p]) => MAILDIR.test(p)).map(([, b]) => b);
  t.ok(maildir.length >= MESSAGES.length, 'every message was frozen');
  t.notOk(maildir.some((b) => b.includes('MUTATED')), 'no Maildir member carries the later change');
  const state = JSON.parse((streamed.get(`mail/${D}/bob/state.json`) as Buffer).toString()) as MailboxState;
  t.same(state.messages.map((m) => m.sha256).sort(), maildir.map((b) => sha(b)).sort(), 'the state describes what streamed');
  t.notOk((streamed.get(`mail/${D}/bob.mbox`) as Buffer).includes('MUTATED'), 'nor does the mbox');
});

t.test('spill: the disk streams to a file while the bundle verifies; a refused bundle leaves none', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-spill-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const asked: string[] = [];
  let n = 0;
  // Asked for every member: only those verification does not read may go to a sink.
  const spill = (p: string): FileSink => {
    asked.push(p);
    return new FileSink(join(dir, `m-${n++}`));
  };
  const v = await verifyExitBundle([bundle], trustedRoot, { spill, keep: (p) => p === 'compute/web1/spec.json' });
  const spilled = v.spilled ?? new Map<string, string>();
  t.notOk(asked.some((p) => p.startsWith('ledger/') || p === 'manifest.json' || p === 'imvu/record.json'), 'never asked for a file verification reads');
  t.ok(spilled.has('compute/web1/disk.qcow2'), 'the disk was spilled');
  for (const [path, file] of spilled) t.ok(readFileSync(file).equals(get(path)), `${path}: the file holds the member's bytes`);
  t.same([...(v.kept ?? new Map()).keys()], [], 'a member both kept and spilled is spilled, not held');
  t.equal(v.entries > 0, true, 'and the bundle verified');
  t.same(readdirSync(dir).length, spilled.size, 'one file per spilled member');

  // The manifest re-signed by an untrusted key comes after the disk: the disk was written, then dropped.
  const other = mkdtempSync(join(tmpdir(), 'nexus-spill-refused-'));
  t.teardown(() => rmSync(other, { recursive: true, force: true }));
  let disk: string | undefined;
  const refusedSpill = (p: string): FileSink => {
    const f = new FileSink(join(other, `m-${n++}`));
    if (p === 'compute/web1/disk.qcow2') disk = f.name;
    return f;
  };
  const flipped = members.map((m) => (m.name === 'network/rules.json' ? { ...m, bytes: Buffer.concat([m.bytes, Buffer.from(' ')]) } : m));
  await t.rejects(verifyExitBundle([await repack(flipped)], trustedRoot, { spill: refusedSpill }), { code: 'BUNDLE_SIZE_MISMATCH' });
  t.ok(disk !== undefined, 'the disk was being spilled when the bundle was refused');
  t.equal(existsSync(disk as string), false, 'and its file is gone');
  t.same(readdirSync(other), [], 'nothing spilled outlives the refused bundle');

  // The sink's own failure (a full disk) is the reader's, not the archive's: it comes through as it was.
  const full = mkdtempSync(join(tmpdir(), 'nexus-spill-full-'));
  t.teardown(() => rmSync(full, { recursive: true, force: true }));
  const noSpace = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
  const fullSpill = (p: string): MemberSink => {
    const f = new FileSink(join(full, `m-${n++}`));
    if (p !== 'compute/web1/disk.qcow2') return f;
    return { name: f.name, write: async () => Promise.reject(noSpace), end: () => f.end(), abort: () => f.abort() };
  };
  const thrown: unknown = await verifyExitBundle([bundle], trustedRoot, { spill: fullSpill }).then(() => undefined, (e: unknown) => e);
  t.equal(thrown, noSpace, 'the sink\'s own error, not BUNDLE_ARCHIVE_INVALID');
  t.same(readdirSync(full), [], 'and every file spilled before it is gone');
});
