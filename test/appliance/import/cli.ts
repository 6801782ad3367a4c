// Runs `nexus-cos import` in process against a stack listening on loopback, as a user would.
import type { FastifyInstance } from 'fastify';
import { runCli } from '../../../appliance/src/cli/commands.js';

/** The stack's URL once it listens on a free loopback port. */
export async function listenUrl(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

/** `nexus-cos import BUNDLE --key KEY --appliance <app's URL> [...extra]`: its exit code and output. */
export async function importViaCli(app: FastifyInstance, bundle: string, key: string, extra: readonly string[] = []): Promise<{ code: number; out: string; err: string }> {
  const url = await listenUrl(app);
  const out: string[] = [];
  const err: string[] = [];
  const io = { env: {}, stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), untilSignal: () => new Promise<string>(() => undefined) };
  const code = await runCli(['import', bundle, '--key', key, '--appliance', url, ...extra], io);
  return { code, out: out.join(''), err: err.join('') };
}
