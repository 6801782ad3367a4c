import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
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
// Maildir the same way (tmp, fsync, rename), with TCP_NODELAY set as ours does. Same run,
// same client (nodemailer, a pool of 4 connections), rounds alternated, best of each kept.

const N = 200;
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
  connection.transaction.message_stream.get_data((data) => {
    const name = Date.now() + '.' + process.pid + '_' + (seq++) + '.bench';
    const tmp = path.join(${JSON.stringify(maildir)}, 'tmp', name);
    const fd = fs.openSync(tmp, 'wx', 0o600);
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, path.join(${JSON.stringify(maildir)}, 'new', name));
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

/** Messages per second: N messages through a pool of 4 connections, all in flight at once. */
async function rate(port: number): Promise<number> {
  const tx = nodemailer.createTransport({ pool: true, maxConnections: 4, maxMessages: Infinity, host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const send = (i: number) => tx.sendMail({ from: 'sender@remote.test', to: 'bob@example.org', subject: `bench ${i}`, text: `message ${i}\n`.repeat(20) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(i)));
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: N }, (_, i) => send(i)));
    return (N * 1e9) / Number(process.hrtime.bigint() - start);
  } finally {
    tx.close();
  }
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
