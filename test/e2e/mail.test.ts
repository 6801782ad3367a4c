// The shipped appliance with mail wired in: `nexus-cos serve` starts the decision channel
// and a Haraka that loads haraka-plugin-nexus. A relay attempt is refused 550 5.7.1, an
// answer only the appliance gives (with the channel unreachable it would be 451), and AUTH
// is offered under STARTTLS with the certificate serve made.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { smtpBanner } from '../../appliance/src/supervisor/index.js';
import { authAs, swaks } from '../appliance/mail/smtp.js';
import { eventually, freePort } from '../helpers/ports.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NEXUS_COS = join(ROOT, 'appliance/dist/cli/nexus-cos.js');

t.test('serve: Haraka answers with the nexus plugin over the wired decision channel', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-e2e-mail-'));
  const dataDir = join(dir, 'data');
  const [httpPort, knotPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
  const init = spawnSync(process.execPath, [NEXUS_COS, 'init', '--data-dir', dataDir, '--origin', 'e2e-mail.nexus-cos.invalid/log'], { encoding: 'utf8' });
  t.equal(init.status, 0, 'init exits 0');
  const proc = spawn(process.execPath, [NEXUS_COS, 'serve', '--data-dir', dataDir, '--http-port', String(httpPort), '--knot-port', String(knotPort), '--haraka-port', String(smtpPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const up = await eventually(() => smtpBanner('127.0.0.1', smtpPort).catch(() => undefined), 60_000);
  t.ok(up, up === undefined ? `Haraka did not answer: ${out.slice(-2000)}` : 'Haraka answers');
  // Haraka greets before serve has finished starting (it starts Haraka, then recovers zones
  // and builds the API); until then the plugin's questions may time out into 451, which is
  // the right answer during start-up. The decisions tested below are those of a started appliance.
  const ready = await eventually(async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`).catch(() => undefined))?.status === 200 || undefined, 60_000);
  t.ok(ready, 'serve is up (/healthz 200)');
  t.equal(statSync(join(dataDir, 'mail', 'decide.sock')).mode & 0o777, 0o600, 'the decision socket is 0600');
  const relay = await swaks(smtpPort, ['--from', 'x@remote.test', '--to', 'someone@elsewhere.test']);
  t.equal(relay.exit, 24, 'RCPT refused');
  t.match(relay.reply, /^550 5\.7\.1 /, `relay denied by the appliance: ${relay.reply}`);
  // Submission: STARTTLS with the certificate serve made in mail/tls, then AUTH, which the
  // plugin answers through the channel (a wrong password: 535 from the appliance).
  t.equal(statSync(join(dataDir, 'mail', 'tls', 'key.pem')).mode & 0o777, 0o600, 'the mail TLS key is 0600');
  const auth = await swaks(smtpPort, ['--from', 'nobody@example.org', '--to', 'nobody@example.org', ...authAs('nobody@example.org', 'wrong password'), '--quit-after', 'AUTH']);
  t.match(auth.transcript, /250[ -]STARTTLS/, 'STARTTLS is offered');
  t.match(auth.transcript, /<~ +250[ -]AUTH [^\n]*PLAIN/, 'AUTH PLAIN is offered under TLS');
  t.equal(auth.exit, 28, `AUTH refused: ${auth.reply}`);
  t.match(auth.reply, /^535 5\.7\.8 /, 'with the enhanced code for bad credentials');
  proc.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM: clean exit');
});
