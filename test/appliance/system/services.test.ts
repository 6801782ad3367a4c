import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { loadConfig } from '../../../appliance/src/config/load.js';
import { locateHaraka, smtpBanner } from '../../../appliance/src/supervisor/index.js';
import { prepareSystemServices } from '../../../appliance/src/system/services.js';
import { eventually, freePort } from '../../helpers/ports.js';
import { swaks } from '../mail/smtp.js';

// The ISO's settings file, read as systemd's EnvironmentFile= reads it (KEY=VALUE lines).
const envFile = new URL('../../../iso/live/includes.chroot/etc/nexus-cos/environment', import.meta.url);
function isoEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1] as string] = m[2] as string;
  }
  return env;
}

t.test('the ISO configuration: systemd runs knotd and Haraka, all listen on the network', async (t) => {
  const env = isoEnvironment();
  const c = loadConfig({ flags: {}, env, readFile: () => JSON.stringify({ ledger: { origin: 'nexus-cos/nexus-cos' } }) });
  t.equal(c.dataDir, '/var/lib/nexus-cos');
  t.same({ knot: c.knot, haraka: c.haraka }, {
    knot: { managed: false, host: '0.0.0.0', port: 53 },
    haraka: { managed: false, host: '0.0.0.0', port: 25 },
  }, 'not supervised by the appliance; DNS and SMTP on their standard ports');
  t.same(c.http, { host: '0.0.0.0', port: 8080, bodyLimit: 1024 * 1024 }, 'the API answers beyond loopback');
  // The units point at the same data directory the settings name.
  const unit = (n: string): string => readFileSync(new URL(`../../../iso/live/includes.chroot/etc/systemd/system/${n}`, import.meta.url), 'utf8');
  t.match(unit('nexus-knot.service'), `-C ${c.dataDir}/knot/confdb`, 'knotd runs from the confdb prepare-services writes');
  t.match(unit('nexus-haraka.service'), `-c ${c.dataDir}/haraka`, 'Haraka runs from the config dir prepare-services writes');
  t.match(unit('nexus-cos-init.service'), `ConditionPathExists=!${c.dataDir}`, 'init runs only without a data directory');
});

t.test('prepare-services writes the knotd confdb and Haraka config the units start from (real knotc)', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nx-sys-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const base = loadConfig({ flags: { 'data-dir': dataDir }, env: {}, readFile: () => JSON.stringify({ ledger: { origin: 'test/nexus-cos' } }) });
  const runner = new ExecaRunner();
  const deps = { runner, harakaBin: locateHaraka(), nodeBin: process.execPath };

  t.same(await prepareSystemServices(base, deps), {}, 'services the appliance manages itself are left to it');
  t.notOk(existsSync(join(dataDir, 'knot')), 'nothing written for them');

  const config = { ...base, knot: { managed: false, host: '0.0.0.0', port: 53 }, haraka: { managed: false, host: '0.0.0.0', port: 25 } };
  const done = await prepareSystemServices(config, deps);
  t.same(done, { knot: join(dataDir, 'knot'), haraka: join(dataDir, 'haraka') });
  t.ok(existsSync(join(dataDir, 'knot', 'confdb')), 'knotc imported the config database');
  // Exported from the database itself (no knotd running), not from the text it came from.
  const exported = join(dataDir, 'exported.conf');
  await runner.run(['knotc', '-C', join(dataDir, 'knot', 'confdb'), 'conf-export', exported]);
  t.match(readFileSync(exported, 'utf8'), '"0.0.0.0@53"', 'the confdb says where knotd listens');
  t.match(readFileSync(join(dataDir, 'haraka', 'config', 'smtp.ini'), 'utf8'), 'listen=0.0.0.0:25', 'Haraka listens where the config says');
  t.ok(existsSync(join(dataDir, 'haraka', 'config', 'connection.ini')), 'with the connection.ini Haraka cannot run without');
  // The systemd-run Haraka loads the nexus plugin, wired to the appliance's channel, with TLS.
  const conf = (n: string): string => readFileSync(join(dataDir, 'haraka', 'config', n), 'utf8');
  t.match(conf('plugins'), /^tls\nnexus\n$/m, 'TLS first (AUTH needs it), then nexus');
  t.match(conf('nexus.ini'), `socket=${join(dataDir, 'mail', 'decide.sock')}`, 'the plugin asks the appliance');
  const cert = new X509Certificate(conf('tls_cert.pem'));
  t.equal(cert.subjectAltName, `DNS:${config.dns.nameservers[0] ?? ''}`, 'a certificate for the MX host the appliance publishes');
  t.ok(cert.checkPrivateKey(createPrivateKey(conf('tls_key.pem'))), 'with its key');
  t.equal(statSync(join(dataDir, 'mail', 'tls', 'key.pem')).mode & 0o777, 0o600, 'the key is 0600');
  await prepareSystemServices(config, deps);
  t.equal(new X509Certificate(conf('tls_cert.pem')).fingerprint256, cert.fingerprint256, 'kept across boots (an owner may replace it)');
});

t.test('Haraka started the way nexus-haraka.service starts it loads the nexus plugin', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nx-sys-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const base = loadConfig({ flags: { 'data-dir': dataDir }, env: {}, readFile: () => JSON.stringify({ ledger: { origin: 'test/nexus-cos' } }) });
  const port = await freePort();
  const harakaBin = locateHaraka();
  const config = { ...base, knot: { managed: true, host: '127.0.0.1', port: 1 }, haraka: { managed: false, host: '127.0.0.1', port } };
  await prepareSystemServices(config, { runner: new ExecaRunner(), harakaBin, nodeBin: process.execPath });
  // The unit's command line: node, Haraka's bin, `-c <data dir>/haraka`.
  const child = spawn(process.execPath, [harakaBin as string, '-c', join(dataDir, 'haraka')], { stdio: 'ignore' });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  t.ok(await eventually(() => smtpBanner('127.0.0.1', port), 30_000), 'Haraka greets');
  // With the ffdhe2048 group written beside its certificate, Haraka spawns no `openssl dhparam`.
  t.match(readFileSync(join(dataDir, 'haraka', 'config', 'tls.ini'), 'utf8'), /^dhparam=dhparams\.pem$/m);
  t.match(readFileSync(join(dataDir, 'haraka', 'config', 'dhparams.pem'), 'utf8'), /^-----BEGIN DH PARAMETERS-----/);
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  t.notOk(ps.split('\n').some((l) => l.includes('dhparam') && l.includes(dataDir)), 'no dhparam generation for this Haraka');
  // No appliance runs here, so the plugin cannot ask it: its answer is a tempfail, never
  // an accept; a Haraka without the plugin would answer otherwise.
  const r = await swaks(port, ['--from', 'x@remote.test', '--to', 'someone@elsewhere.test']);
  t.match(r.reply, /^451 4\.3\.0 mail policy temporarily unavailable/, `the nexus plugin answers: ${r.reply}`);
});
