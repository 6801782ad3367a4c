import t from 'tap';
import { Supervisor, overall, restartDelay } from '../../../appliance/src/supervisor/index.js';
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

t.test('not installed is `absent`, managed elsewhere is `external`; both count as healthy', async (t) => {
  const s = new Supervisor({
    dataDir: '/nonexistent', runner: bare, log: silentLogger, harakaBin: undefined,
    knot: { managed: true, host: '127.0.0.1', port: 5300 }, haraka: { managed: false, host: '127.0.0.1', port: 2525 },
  });
  t.same(await s.start(), { knot: true, haraka: true }, 'nothing to start');
  const h = s.health();
  t.equal(h.knot?.status, 'absent');
  t.equal(h.haraka?.status, 'external');
  t.equal(overall({ ledger: { status: 'ok' }, ...h }), 'ok');
  await s.stop();
});

t.test('the overall verdict', async (t) => {
  t.equal(overall({ ledger: { status: 'ok' }, knot: { status: 'restarting' } }), 'degraded');
  t.equal(overall({ ledger: { status: 'down' }, knot: { status: 'ok' } }), 'down', 'no ledger, no writes: down');
  t.equal(overall({ ledger: { status: 'ok' }, knot: { status: 'ok' }, haraka: { status: 'ok' } }), 'ok');
});
