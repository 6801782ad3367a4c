import t from 'tap';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { SupervisedChild, type ChildSpec } from '../../../appliance/src/supervisor/index.js';
import type { Logger } from '../../../appliance/src/ports/logger.js';
import { eventually } from '../../helpers/ports.js';

// Real processes (node itself), so the runner, signals and exits are the real ones.
const runner = new ExecaRunner();
const node = (src: string): ChildSpec['argv'] => () => [process.execPath, '-e', src];
const spec = (argv: ChildSpec['argv'], ready: () => Promise<boolean>, prepare = () => Promise.resolve()): ChildSpec => ({ name: 'test', readyTimeoutMs: 300, prepare, argv, ready });
const logger = () => {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: object, msg: string) => void lines.push({ level, fields: fields as Record<string, unknown>, msg });
  const log: Logger = { debug: () => {}, info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
};

t.test('a child that never becomes ready is killed, reported and retried with growing delays', async (t) => {
  const { log, lines } = logger();
  const c = new SupervisedChild(spec(node('setInterval(() => {}, 1000)'), () => Promise.resolve(false)), runner, log, { restartBaseMs: 20 });
  t.equal(await c.start(), false, 'the first start reports not ready');
  const h = await eventually(() => (c.health().restarts ?? 0) >= 3 ? c.health() : undefined, 10_000);
  t.match(h?.detail, /^SUPERVISION_FAILED/, 'health names the code');
  t.equal(h?.status === 'restarting' || h?.status === 'starting' ? 'retrying' : h?.status, 'retrying');
  const delays = lines.filter((l) => l.msg.includes('restarting')).map((l) => l.fields.delayMs);
  t.same(delays.slice(0, 3), [20, 40, 80], 'exponential backoff');
  await c.stop();
  t.equal(c.health().status, 'stopped');
});

t.test('a program that cannot start is reported, not thrown', async (t) => {
  const { log } = logger();
  const c = new SupervisedChild(spec(() => ['/nonexistent/program'], () => Promise.resolve(true)), runner, log, { restartBaseMs: 20 });
  t.equal(await c.start(), false);
  t.match(c.health(), { status: 'restarting', detail: /^SUPERVISION_FAILED: COMMAND_FAILED/ }, 'restarting, with the coded reason');
  await c.stop();
});

t.test('a failing prepare() is a failed attempt with the coded reason', async (t) => {
  const { log } = logger();
  const c = new SupervisedChild(spec(node(''), () => Promise.resolve(true), () => Promise.reject(new Error('disk full'))), runner, log, { restartBaseMs: 20 });
  t.equal(await c.start(), false);
  t.equal(c.health().detail, 'SUPERVISION_FAILED: disk full');
  await c.stop();
});

t.test('a child that ignores SIGTERM is killed after the stop timeout', async (t) => {
  const { log, lines } = logger();
  // Ready only once the handler is installed (it says so with a file): a fixed sleep was too
  // short on a loaded machine, where SIGTERM then arrived first and killed it outright.
  const marker = join(mkdtempSync(join(tmpdir(), 'nx-child-')), 'handler-installed');
  const src = `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(marker)}, ''); setInterval(() => {}, 1000)`;
  const c = new SupervisedChild({ ...spec(node(src), () => Promise.resolve(existsSync(marker))), readyTimeoutMs: 30_000 }, runner, log, { stopTimeoutMs: 300 });
  t.equal(await c.start(), true);
  const pid = c.health().pid as number;
  await c.stop();
  t.ok(lines.some((l) => l.level === 'warn' && l.msg.includes('SIGKILL')), 'the SIGKILL is logged');
  t.throws(() => process.kill(pid, 0), 'the process is gone');
  t.equal(c.health().restarts, 0, 'a requested stop is not a crash');
});
