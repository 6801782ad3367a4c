import t from 'tap';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { eventually, freePort } from '../../helpers/ports.js';
import { startKnot } from '../dns/knotd.js';
import { Supervisor, overall, restartDelay } from '../../../appliance/src/supervisor/index.js';
import { ExternalService, MISSES_BEFORE_UNREACHABLE } from '../../../appliance/src/supervisor/external.js';
import { silentLogger } from '../../../appliance/src/ports/logger.js';
import type { CommandRunner } from '../../../appliance/src/ports/command-runner.js';

// A runner on a machine where nothing is installed: which() finds nothing, and nothing may run.
const bare: CommandRunner = {
  run: () => Promise.reject(new Error('nothing may run')),
  spawn: () => {
    throw new Error('nothing may run');
  },
  which: () => undefined,
};

t.test('restart delays: 1 s, 2 s, 4 s ... capped at 30 s', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6, 40].map((n) => restartDelay(n)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

t.test('not installed is `absent` (healthy); managed elsewhere is probed: `unreachable` when nothing answers', async (t) => {
  const s = new Supervisor({
    dataDir: '/nonexistent', runner: bare, log: silentLogger, harakaBin: undefined,
    knot: { managed: true, host: '127.0.0.1', port: 5300 }, haraka: { managed: false, host: '127.0.0.1', port: await freePort() },
  });
  t.same(await s.start(), { knot: true, haraka: false }, 'nothing to start; the external Haraka does not answer');
  const h = s.health();
  t.equal(h.knot?.status, 'absent');
  t.equal(h.haraka?.status, 'unreachable', 'never vouched for blindly');
  t.equal(overall({ ledger: { status: 'ok' }, ...h }), 'degraded');
  await s.stop();
});

t.test('a system-run knotd and SMTP server that answer are `external` (healthy), and a lost one is noticed', async (t) => {
  const knot = await startKnot();
  t.teardown(() => knot.stop());
  // A minimal SMTP greeter stands in for a system-run Haraka: the probe only reads the banner.
  const open = new Set<Socket>();
  const smtp = createServer((c) => {
    open.add(c);
    c.on('close', () => open.delete(c));
    c.end('220 greeter ESMTP\r\n');
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.address() as AddressInfo).port;
  const s = new Supervisor({
    dataDir: '/nonexistent', runner: bare, log: silentLogger, harakaBin: undefined, probeIntervalMs: 100,
    knot: { managed: false, host: '0.0.0.0', port: knot.port }, haraka: { managed: false, host: '127.0.0.1', port: smtpPort },
  });
  t.teardown(() => s.stop());
  t.same(await s.start(), { knot: true, haraka: true }, 'both answer at start');
  const h = s.health();
  t.equal(h.knot?.status, 'external', 'knotd answered a DNS query (0.0.0.0 is probed on loopback)');
  t.match(h.knot?.detail, `0.0.0.0:${knot.port} (DNS)`);
  t.equal(h.haraka?.status, 'external');
  t.equal(overall({ ledger: { status: 'ok' }, ...h }), 'ok');
  const closed = new Promise((r) => smtp.close(r));
  for (const c of open) c.destroy();
  await closed;
  t.ok(await eventually(() => s.health().haraka?.status === 'unreachable', 5_000), 'the stopped SMTP server is reported');
  t.equal(overall({ ledger: { status: 'ok' }, ...s.health() }), 'degraded');
});

t.test('one missed probe is not an outage; MISSES_BEFORE_UNREACHABLE in a row are, and one answer heals it', async (t) => {
  const answers: boolean[] = [];
  const svc = new ExternalService(async () => answers.shift() ?? false, 'test:1 (DNS)', 60_000);
  t.equal(svc.health().status, 'starting', 'not healthy before the first probe');
  answers.push(false);
  await svc.check();
  t.equal(svc.health().status, 'unreachable', 'never answered: unreachable at once, no grace');
  answers.push(true);
  await svc.check();
  t.equal(svc.health().status, 'external');
  for (let miss = 1; miss < MISSES_BEFORE_UNREACHABLE; miss++) {
    answers.push(false);
    await svc.check();
    t.equal(svc.health().status, 'external', `${miss} miss(es) in a row: still external`);
    t.match(svc.health().detail, `missed ${miss} probe`, 'and the misses are shown');
  }
  answers.push(false);
  await svc.check();
  t.equal(svc.health().status, 'unreachable', `${MISSES_BEFORE_UNREACHABLE} in a row: unreachable`);
  t.match(svc.health().detail, `${MISSES_BEFORE_UNREACHABLE} probes in a row`);
  answers.push(true);
  await svc.check();
  t.equal(svc.health().status, 'external', 'one answer and it is back');
  answers.push(false);
  await svc.check();
  t.equal(svc.health().status, 'external', 'the count of misses started again');
  t.equal(MISSES_BEFORE_UNREACHABLE, 3);
});

t.test('the overall verdict', async (t) => {
  t.equal(overall({ ledger: { status: 'ok' }, knot: { status: 'restarting' } }), 'degraded');
  t.equal(overall({ ledger: { status: 'down' }, knot: { status: 'ok' } }), 'down', 'no ledger, no writes: down');
  t.equal(overall({ ledger: { status: 'ok' }, knot: { status: 'ok' }, haraka: { status: 'ok' } }), 'ok');
});
