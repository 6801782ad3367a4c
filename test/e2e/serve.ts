// The real `nexus-cos` CLI as a child process, for the end-to-end tests: `init`, and `serve`
// with its knotd and Haraka, on a data directory and ports of the test's own.
import type { Test } from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NexusClient } from '@nexus-cos/sdk';
import { eventually, freePort } from '../helpers/ports.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NEXUS_COS = join(ROOT, 'appliance/dist/cli/nexus-cos.js');
export const IMVU_VERIFY = join(ROOT, 'sdk/dist/cli/imvu-verify.js');
export const IMVU_EXIT = join(ROOT, 'sdk/dist/cli/imvu-exit.js');

export interface Server { readonly proc: ChildProcess; readonly out: () => string; readonly exit: Promise<{ code: number | null; signal: string | null }> }

/** An appliance's data directory and free ports, as `serve` flags. */
export interface Ports {
  readonly httpPort: number;
  readonly knotPort: number;
  readonly smtpPort: number;
  readonly flags: readonly string[];
  readonly baseUrl: string;
}

export async function ports(dataDir: string): Promise<Ports> {
  const [httpPort, knotPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
  const flags = ['--data-dir', dataDir, '--http-port', String(httpPort), '--knot-port', String(knotPort), '--haraka-port', String(smtpPort)];
  return { httpPort, knotPort, smtpPort, flags, baseUrl: `http://127.0.0.1:${httpPort}` };
}

/** `nexus-cos init`: its exit status and output. */
export function init(dataDir: string, origin: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [NEXUS_COS, 'init', '--data-dir', dataDir, '--origin', origin], { encoding: 'utf8' });
}

export function serve(flags: readonly string[]): Server {
  const proc = spawn(process.execPath, [NEXUS_COS, 'serve', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, out: () => out, exit };
}

/**
 * Teardown after a failed assertion: SIGTERM first, so serve stops its knotd and Haraka;
 * a SIGKILLed serve would leave them running. SIGKILL only if it does not exit in time.
 */
export async function reap(s: Server): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  s.proc.kill('SIGTERM');
  const t = setTimeout(() => s.proc.kill('SIGKILL'), 10_000);
  await s.exit;
  clearTimeout(t);
}

export async function healthy(client: NexusClient, ms = 30_000): Promise<boolean> {
  return (await eventually(async () => (await client.health().catch(() => undefined))?.status === 'ok', ms)) === true;
}

/** SIGTERM, asserting a clean exit within 10 s (SIGKILL after that). */
export async function stop(t: Pick<Test, 'same'>, s: Server, what: string): Promise<void> {
  const sent = Date.now();
  s.proc.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  const r = await Promise.race([s.exit, timeout]);
  t.same(r, { code: 0, signal: null }, `${what}: SIGTERM → exit 0 in ${Date.now() - sent} ms (< 10 s)`);
  if (r === 'timeout') s.proc.kill('SIGKILL');
}
