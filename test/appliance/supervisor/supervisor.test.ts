import t from 'tap';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { Supervisor, locateHaraka, smtpBanner } from '../../../appliance/src/supervisor/index.js';
import type { Logger } from '../../../appliance/src/ports/logger.js';
import { eventually, freePort } from '../../helpers/ports.js';

// Against the real programs: knotd from Debian's knot package, Haraka from node_modules.
// scripts/install.sh installs both; a missing one fails here rather than being skipped.
const runner = new ExecaRunner();
const harakaBin = locateHaraka();

/** A logger that keeps what it was told, to check that a crash is reported. */
function memoryLogger(): Logger & { lines: { level: string; fields: Record<string, unknown>; msg: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: object, msg: string) => void lines.push({ level, fields: fields as Record<string, unknown>, msg });
  return { lines, debug: () => {}, info: at('info'), warn: at('warn'), error: at('error') };
}

t.test('the real knotd and Haraka: start, healthy, a killed child is restarted and reported, clean stop', async (t) => {
  t.ok(runner.which('knotd'), 'knotd is installed');
  t.ok(harakaBin, 'Haraka is installed in node_modules');
  const dataDir = mkdtempSync(join(tmpdir(), 'nx-sup-'));
  const [knotPort, smtpPort] = [await freePort(), await freePort()];
  const log = memoryLogger();
  const sup = new Supervisor({
    dataDir, runner, log, harakaBin,
    knot: { managed: true, host: '127.0.0.1', port: knotPort },
    haraka: { managed: true, host: '127.0.0.1', port: smtpPort },
  });
  t.teardown(() => sup.stop());

  t.same(await sup.start(), { knot: true, haraka: true }, 'both became ready');
  const h = sup.health();
  t.equal(h.knot?.status, 'ok');
  t.equal(h.haraka?.status, 'ok');
  t.match(await smtpBanner('127.0.0.1', smtpPort), /^220 /, 'Haraka greets with an SMTP banner on its port');
  const status = await runner.run(['knotc', '-s', join(dataDir, 'knot', 'run', 'knot.sock'), 'status']);
  t.equal(status.stdout.trim(), 'Running', 'knotc status: Running');
  t.ok(existsSync(join(dataDir, 'haraka', 'config', 'connection.ini')), 'Haraka config lives in the data dir');
  t.match(readFileSync(join(dataDir, 'knot', 'knot.conf'), 'utf8'), `listen: "127.0.0.1@${knotPort}"`);

  // kill -9 Haraka: the supervisor notices, reports, and restarts it after 1 s.
  const oldPid = h.haraka?.pid as number;
  process.kill(oldPid, 'SIGKILL');
  const restarting = await eventually(() => {
    const s = sup.health().haraka;
    return s?.status === 'restarting' && s.lastExit !== undefined ? s : undefined;
  }, 5_000);
  t.equal(restarting?.lastExit?.signal, 'SIGKILL', 'health reports the signal that killed it');
  t.equal(restarting?.restarts, 1, 'and counts the restart');
  const logged = log.lines.find((l) => l.level === 'error' && l.fields.component === 'haraka');
  t.equal(logged?.fields.signal, 'SIGKILL', 'the crash is logged, never silent');
  t.equal(logged?.fields.delayMs, 1000, 'first restart after 1 s');
  const back = await eventually(() => (sup.health().haraka?.status === 'ok' ? sup.health().haraka : undefined), 15_000);
  t.ok(back, 'Haraka is ok again');
  t.not(back?.pid, oldPid, 'as a new process');
  t.match(await smtpBanner('127.0.0.1', smtpPort), /^220 /, 'and answers again');

  // The same for knotd.
  process.kill(sup.health().knot?.pid as number, 'SIGKILL');
  t.ok(await eventually(() => sup.health().knot?.status === 'restarting'), 'knot restarting');
  t.ok(await eventually(() => sup.health().knot?.status === 'ok', 15_000), 'knot ok again');

  const pids = [sup.health().knot?.pid as number, sup.health().haraka?.pid as number];
  const started = Date.now();
  await sup.stop();
  t.ok(Date.now() - started < 10_000, `stopped in ${Date.now() - started} ms, without SIGKILL`);
  t.same([sup.health().knot?.status, sup.health().haraka?.status], ['stopped', 'stopped']);
  t.notOk(log.lines.some((l) => l.msg.includes('SIGKILL')), 'both stopped on SIGTERM');
  for (const pid of pids) t.throws(() => process.kill(pid, 0), 'the process is gone');
  t.equal(await smtpBanner('127.0.0.1', smtpPort, 300), undefined, 'the SMTP port is closed');
});

t.test('a restart after a clean stop reuses the config database', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nx-sup-'));
  const port = await freePort();
  const opts = { dataDir, runner, harakaBin: undefined, log: memoryLogger(), haraka: { managed: false, host: '127.0.0.1', port: 1 }, knot: { managed: true, host: '127.0.0.1', port } };
  const a = new Supervisor(opts);
  t.same(await a.start(), { knot: true, haraka: false }, 'knotd ready; nothing answers SMTP on port 1');
  await a.stop();
  const imported = readFileSync(join(dataDir, 'knot', 'confdb.sha256'), 'utf8');
  const b = new Supervisor(opts);
  t.same(await b.start(), { knot: true, haraka: false }, 'started again from the existing confdb');
  t.equal(readFileSync(join(dataDir, 'knot', 'confdb.sha256'), 'utf8'), imported, 'not re-imported');
  await b.stop();
});
