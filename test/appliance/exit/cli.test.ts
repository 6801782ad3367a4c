// imvu-exit as the owner runs it: a child process against the listening appliance, its file
// checked with the SDK verifier; refusals and usage errors leave no file and say why.
import t from 'tap';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toBase64, verifyExitBundle } from '@nexus-cos/sdk';
import { operator, REASON, send } from '../http/harness.js';
import { platform, trustedRoot } from '../../helpers/ledger.js';
import { repack, unpack } from '../../helpers/tar.js';
import { runExit } from '../../../sdk/src/cli/exit-command.js';
import { holdEnvelope, listening, owner, stranger } from './listening.js';

const CLI = fileURLToPath(new URL('../../../sdk/dist/cli/imvu-exit.js', import.meta.url));

interface Run { code: number | null; out: string; err: string }

function run(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 120_000 }, (e, out, err) => {
      resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : null, out, err });
    });
  });
}

/** A key file as the owner keeps it: the base64 seed, mode 0600. */
function keyFile(dir: string, seed: number, mode = 0o600): { path: string; secret: string } {
  const secret = toBase64(new Uint8Array(32).fill(seed));
  const path = join(dir, `key-${seed}-${mode.toString(8)}`);
  writeFileSync(path, `${secret}\n`, { mode });
  return { path, secret };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

t.test('imvu-exit writes a bundle that verifies; --json lines end with the file\u2019s sha256', async (t) => {
  const l = await listening(t);
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  // Seed 21 is the harness owner's key (key(21)).
  const k = keyFile(dir, 21);
  t.equal(owner.publicKey.id, (await import('@nexus-cos/sdk')).LocalSigner.fromSeed(new Uint8Array(32).fill(21)).publicKey.id, 'the key file is the owner\u2019s');

  const plain = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url], dir);
  t.equal(plain.code, 0, plain.out + plain.err);
  const file = join(dir, `${l.id}.exit.tar`);
  const bytes = readFileSync(file);
  t.equal((await verifyExitBundle([bytes], trustedRoot)).imvu, l.id, 'the default file name holds a bundle that verifies');
  t.match(plain.out, new RegExp(`OK .*${l.id}\\.exit\\.tar ${bytes.length} bytes sha256=${sha256(bytes)}`));
  t.same(readdirSync(dir).filter((n) => n.includes('.part')), [], 'no temporary file is left');

  const out = join(dir, 'mine.tar.gz');
  const j = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url, '--json', '--gzip', '--out', out], dir);
  t.equal(j.code, 0, j.out + j.err);
  const events = j.out.trim().split('\n').map((line) => JSON.parse(line) as { event: string; [k: string]: unknown });
  t.equal(events[0]?.event, 'start');
  t.ok(typeof events[0]?.total === 'number' && typeof events[0]?.files === 'number', 'the start line carries the announced size and member count');
  const files = events.filter((e) => e.event === 'file');
  t.equal(files.length, events[0]?.files, 'one progress line per member');
  t.equal(files.at(-1)?.path, 'manifest.json', 'the manifest is the last member');
  t.equal(events.find((e) => e.event === 'downloaded')?.bytes, events[0]?.total, 'the tar bytes counted equal the size announced');
  t.ok(events.some((e) => e.event === 'verified' && e.trust === 'bundled'), 'verified offline before it was named');
  const done = events.at(-1);
  const gz = readFileSync(out);
  t.same(gz.subarray(0, 2), Buffer.from([0x1f, 0x8b]), '--gzip writes gzip');
  t.same(done, { event: 'done', path: out, size: gz.length, sha256: sha256(gz) }, 'the last line names the file, its size and its sha256');
  t.equal((await verifyExitBundle([gz], trustedRoot)).imvu, l.id);
  for (const r of [plain, j]) t.notOk(r.out.includes(k.secret) || r.err.includes(k.secret), 'the key never appears in output');
});

t.test('usage errors exit 2 and name the flag', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  const k = keyFile(dir, 21);
  const open = keyFile(dir, 21, 0o644);
  const cases: [string[], string][] = [
    [['--imvu-id', 'IMVU-001', '--key', k.path, '--bogus'], '--bogus'],
    [['--key', k.path], '--imvu-id'],
    [['--imvu-id', '../etc', '--key', k.path], '--imvu-id'],
    [['--imvu-id', 'IMVU-001'], '--key'],
    [['--imvu-id', 'IMVU-001', '--key', join(dir, 'missing')], '--key'],
    [['--imvu-id', 'IMVU-001', '--key', open.path], '--key'],
    [['--imvu-id', 'IMVU-001', '--key', k.path, '--appliance', 'ftp://x'], '--appliance'],
  ];
  for (const [args, flag] of cases) {
    const r = await run([...args, '--json'], dir);
    t.equal(r.code, 2, `${args.join(' ')}: exit 2`);
    const e = JSON.parse(r.out.trim()) as { event: string; code: string; field: string; message: string };
    t.match(e, { event: 'error', code: 'USAGE', field: flag }, `${args.join(' ')}: names ${flag}`);
    t.notOk(r.out.includes(k.secret), 'no key in the output');
  }
  const text = await run(['--imvu-id', 'IMVU-001', '--key', k.path, '--bogus'], dir);
  t.equal(text.code, 2);
  t.match(text.out, /--bogus/, 'in text mode too');
  t.match(text.err, /^usage: imvu-exit/m, 'with the usage');
});

t.test('a refused exit exits 1, shows the hold and leaves no file', async (t) => {
  const l = await listening(t);
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  const k = keyFile(dir, 21);
  const held = await send(l.s.app, operator, 'POST', `/v1/imvus/${l.id}/exit/hold`, { hold: holdEnvelope(operator, l.id, REASON) });
  t.equal(held.statusCode, 201, held.body);
  const r = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url, '--json'], dir);
  t.equal(r.code, 1);
  const e = JSON.parse(r.out.trim()) as { event: string; code: string; hold: { reason: string; signedBy: string } };
  t.match(e, { event: 'error', code: 'GATE_EXIT_READINESS', hold: { reason: REASON, signedBy: operator.publicKey.id } }, 'the signed reason is shown');
  t.same(readdirSync(dir).filter((n) => n.endsWith('.tar') || n.includes('.part')), [], 'no file, not even a temporary one');

  const text = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url], dir);
  t.equal(text.code, 1);
  t.match(text.out, /FAILED GATE_EXIT_READINESS/);
  t.match(text.out, REASON, 'the reason, in text mode too');

  const s = keyFile(dir, 22);
  t.equal(stranger.publicKey.id, (await import('@nexus-cos/sdk')).LocalSigner.fromSeed(new Uint8Array(32).fill(22)).publicKey.id);
  const r2 = await run(['--imvu-id', l.id, '--key', s.path, '--appliance', l.url, '--json'], dir);
  t.equal(r2.code, 1);
  t.match(JSON.parse(r2.out.trim()), { event: 'error', code: 'GATE_RESOURCE_BINDING' }, 'a stranger\u2019s key: gate 2');
  t.same(readdirSync(dir).filter((n) => n.endsWith('.tar') || n.includes('.part')), []);
});

// What the CLI does when the bytes it gets are not a valid bundle: a real bundle from the
// appliance, then served flipped or cut by a plain HTTP server standing in for a bad link.
t.test('a bundle that fails verification, or a cut stream, exits 1 and leaves no file', async (t) => {
  const l = await listening(t);
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  const k = keyFile(dir, 21);
  t.equal((await run(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url, '--out', join(dir, 'good.tar')], dir)).code, 0);
  const good = readFileSync(join(dir, 'good.tar'));
  const flipped = Buffer.from(good);
  flipped[700] = (flipped[700] ?? 0) ^ 0x01;
  let mode: 'flip' | 'cut' = 'flip';
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-tar', 'x-nexus-exit-size': String(good.length) });
    if (mode === 'flip') res.end(flipped);
    else res.write(good.subarray(0, 4096), () => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = join(dir, 'bad.tar');

  const r = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', url, '--out', out, '--json'], dir);
  t.equal(r.code, 1, 'a flipped byte: exit 1');
  const last = JSON.parse(r.out.trim().split('\n').at(-1) ?? '{}') as { event: string; code: string; field: string };
  t.match(last, { event: 'error', code: 'BUNDLE_DIGEST_MISMATCH' }, `the verifier's coded reason (${last.field})`);
  t.notOk(existsSync(out), 'nothing under the final name');

  mode = 'cut';
  const c = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', url, '--out', out, '--json'], dir);
  t.equal(c.code, 1, 'a cut stream: exit 1');
  t.match(JSON.parse(c.out.trim().split('\n').at(-1) ?? '{}'), { event: 'error' });
  t.notOk(existsSync(out), 'nothing under the final name');
  t.same(readdirSync(dir).filter((n) => n.includes('.part')), [], 'and no temporary file');
});

t.test('--countersign: the owner signs the manifest too, and the verifier reports it', async (t) => {
  const l = await listening(t);
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  const k = keyFile(dir, 21);
  const out = join(dir, 'signed.tar');
  const r = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url, '--out', out, '--countersign', '--json'], dir);
  t.equal(r.code, 0, r.out + r.err);
  const events = r.out.trim().split('\n').map((line) => JSON.parse(line) as { event: string; [k: string]: unknown });
  t.same(events.find((e) => e.event === 'verified')?.countersignedBy, [owner.publicKey.id], 'the CLI reports the owner\u2019s countersignature');
  const bytes = readFileSync(out);
  t.same(events.at(-1), { event: 'done', path: out, size: bytes.length, sha256: sha256(bytes) }, 'the final line is the countersigned file');
  const v = await verifyExitBundle([bytes], trustedRoot);
  t.same(v.countersignedBy, [owner.publicKey.id], 'the SDK verifier reports it, from the owner the record names');
  t.same(v.manifestSignedBy, [platform.publicKey.id], 'the platform signature still verifies');
  const members = await unpack(bytes);
  t.equal(members.at(-1)?.name, 'manifest.json', 'the manifest is still the last member');
  const env = JSON.parse(members.at(-1)?.bytes.toString() ?? '{}') as { signatures: { keyid: string; sig: string }[] };
  t.equal(env.signatures.length, 2);

  // A countersignature that names the owner's key but does not verify is an error, naming the manifest.
  const bad = { ...env, signatures: env.signatures.map((s) => (s.keyid === owner.publicKey.id ? { ...s, sig: env.signatures[0]?.sig ?? '' } : s)) };
  const tampered = await repack([...members.slice(0, -1), { name: 'manifest.json', bytes: Buffer.from(JSON.stringify(bad)) }]);
  const e = await verifyExitBundle([tampered], trustedRoot).then(() => undefined, (x: { code?: string; field?: string }) => x);
  t.equal(e?.code, 'SIGNATURE_INVALID');
  t.match(e?.field ?? '', /^manifest\.json#\/signatures\/1/);
});

t.test('--countersign --gzip: signed, then compressed here; the compressed file verifies with both signatures', async (t) => {
  const l = await listening(t);
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  const k = keyFile(dir, 21);
  const out = join(dir, 'signed.tar.gz');
  const r = await run(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url, '--out', out, '--countersign', '--gzip', '--json'], dir);
  t.equal(r.code, 0, r.out + r.err);
  const events = r.out.trim().split('\n').map((line) => JSON.parse(line) as { event: string; [k: string]: unknown });
  const gz = readFileSync(out);
  t.same(gz.subarray(0, 2), Buffer.from([0x1f, 0x8b]), 'gzip on disk');
  t.same(events.at(-1), { event: 'done', path: out, size: gz.length, sha256: sha256(gz) }, 'the final line is the compressed file');
  t.same(events.find((e) => e.event === 'verified')?.countersignedBy, [owner.publicKey.id], 'verified as named: countersigned');
  t.same(events.map((e) => e.event).slice(-4), ['downloaded', 'countersigning', 'verified', 'done'], 'the stage between download and verification is reported');
  t.match(events.find((e) => e.event === 'countersigning'), { compress: true });
  const v = await verifyExitBundle([gz], trustedRoot);
  t.same([v.manifestSignedBy, v.countersignedBy], [[platform.publicKey.id], [owner.publicKey.id]], 'the SDK verifier reads the gzip file and both signatures');
  const members = await unpack(gunzipSync(gz));
  t.equal(members.at(-1)?.name, 'manifest.json', 'the manifest is still the last member');
  t.same(readdirSync(dir).filter((n) => n.includes('.part')), [], 'no temporary file left');
});

t.test('on a terminal, a progress bar of bytes and files against the announced totals', async (t) => {
  const l = await listening(t);
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  const k = keyFile(dir, 21);
  let out = '';
  let err = '';
  const code = await runExit(['--imvu-id', l.id, '--key', k.path, '--appliance', l.url, '--out', join(dir, 'b.tar')], {
    stdout: (x) => { out += x; }, stderr: (x) => { err += x; }, tty: true, columns: 100,
  });
  t.equal(code, 0, out + err);
  const frames = err.split('\r').filter((f) => f !== '');
  t.ok(frames.length >= 1, `${frames.length} frame(s) drawn on stderr`);
  const last = frames.at(-1) ?? '';
  t.match(last, /^\[#+\] 100% (\d+\.\d)\/\1 (KiB|MiB) {2}(\d+)\/\3 files\n$/, `the last frame is complete: ${JSON.stringify(last)}`);
  t.match(out, /^verified: \d+ ledger entries/m, 'the outcome on stdout');
  t.match(out, /^OK .*b\.tar \d+ bytes sha256=[0-9a-f]{64}$/m);
});
