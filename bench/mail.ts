import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecaRunner } from '../appliance/src/adapters/process/execa-runner.js';
import { harakaSpec } from '../appliance/src/supervisor/haraka.js';
import { locateHaraka, smtpBanner } from '../appliance/src/supervisor/index.js';
import { startMailRig } from '../test/appliance/mail/harness.js';
import { seed } from '../test/appliance/mail/seed.js';
import { eventually, freePort } from '../test/helpers/ports.js';
import type { Bench, BenchResult } from './harness.js';

// mail.throughput: inbound messages per second through a real Haraka running the nexus
// plugin (MAIL, RCPT and queue decisions over the appliance's socket, a Maildir write with
// fsync, two signed usage events made durable before the 250), against the same Haraka with
// no policy plugin: a plain plugin that accepts every recipient and stores the message in a
// Maildir the same way (tmp, fsync, rename, asynchronously), with TCP_NODELAY set as ours
// does. Same run, same client (nodemailer in a process of its own, as a real client is,
// with a pool of 8 connections: concurrent messages share the ledger's group commit as they
// would under real load), rounds alternated, best of each kept. What the ratio still pays:
// one more fsync per message (the ledger's, synchronous in the appliance's process).

const N = 200;
const CONNECTIONS = 8;
const CLIENT = fileURLToPath(new URL('./mail-client.ts', import.meta.url));
const ROUNDS = 3;
const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);

/** The no-policy baseline plugin: accept, store, done. Plain Haraka plugin (sandboxed JS). */
function baselinePlugin(maildir: string): string {
  return `const fs = require('node:fs');
const path = require('node:path');
let seq = 0;
exports.hook_connect_init = function (next, connection) { connection.client.setNoDelay(true); next(); };
exports.hook_rcpt = function (next) { next(OK); };
exports.hook_queue = function (next, connection) {
  connection.transaction.message_stream.get_data(async (data) => {
    const name = Date.now() + '.' + process.pid + '_' + (seq++) + '.bench';
    const tmp = path.join(${JSON.stringify(maildir)}, 'tmp', name);
    const file = await fs.promises.open(tmp, 'wx', 0o600);
    await file.writeFile(data);
    await file.sync();
    await file.close();
    await fs.promises.rename(tmp, path.join(${JSON.stringify(maildir)}, 'new', name));
    next(OK);
  });
};
`;
}

/** A Haraka with only the baseline plugin. */
async function startBaseline(): Promise<{ port: number; stop(): Promise<void> }> {
  const runner = new ExecaRunner();
  const dir = mkdtempSync(join(tmpdir(), 'nx-mailbench-'));
  const maildir = join(dir, 'Maildir');
  for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, sub), { recursive: true });
  const port = await freePort();
  const bin = locateHaraka();
  if (bin === undefined) throw new Error('Haraka is not installed');
  const spec = harakaSpec({ dir: join(dir, 'haraka'), host: '127.0.0.1', port, hostname: 'mx.test', bin, node: process.execPath });
  await spec.prepare();
  mkdirSync(join(dir, 'haraka', 'plugins'));
  writeFileSync(join(dir, 'haraka', 'plugins', 'bench_store.js'), baselinePlugin(maildir));
  writeFileSync(join(dir, 'haraka', 'config', 'plugins'), 'bench_store\n');
  const child = runner.spawn(spec.argv());
  const stop = async () => {
    child.kill('SIGTERM');
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  if ((await eventually(() => smtpBanner('127.0.0.1', port).catch(() => undefined), 20_000)) === undefined) {
    await stop();
    throw new Error('baseline Haraka did not start');
  }
  return { port, stop };
}

/** Messages per second: N messages through a pool of connections, from a client process of its own. */
async function rate(port: number): Promise<number> {
  const { stdout } = await new ExecaRunner().run([process.execPath, '--import', 'tsx', CLIENT, String(port), String(N), String(CONNECTIONS)], { timeoutMs: 300_000 });
  const r = Number(stdout.trim());
  if (!Number.isFinite(r) || r <= 0) throw new Error(`mail client printed ${stdout}`);
  return r;
}

const unused = (): number => {
  throw new Error('mail.throughput measures itself: run it through measure()');
};

export const mailBenches: (Bench & { measure(): Promise<BenchResult> })[] = [
  {
    name: 'mail.throughput', unit: 'msg/s', batch: 1, subject: unused, baseline: unused,
    async measure() {
      const rig = await startMailRig();
      const base = await startBaseline().catch(async (e: unknown) => {
        await rig.stop();
        throw e;
      });
      try {
        await seed(rig);
        let value = 0;
        let baseline = 0;
        for (let i = 0; i < ROUNDS; i++) {
          baseline = Math.max(baseline, await rate(base.port));
          value = Math.max(value, await rate(rig.port));
        }
        return { name: 'mail.throughput', value: round(value), unit: 'msg/s', baseline: round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 };
      } finally {
        await base.stop();
        await rig.stop();
      }
    },
  },
];
