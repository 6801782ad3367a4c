import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError, sha256, toHex, utf8 } from '@nexus-cos/sdk';
import type { CommandRunner } from '../ports/command-runner.js';
import type { ChildSpec } from './child.js';

/** Where and how our knotd listens. */
export interface KnotSettings {
  /** Absolute: knotd is given absolute paths only. */
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  readonly knotd: string;
  readonly knotc: string;
}

/** The files of one knotd instance, all under `dir`. */
export const knotPaths = (dir: string) => ({
  conf: join(dir, 'knot.conf'),
  confdb: join(dir, 'confdb'),
  imported: join(dir, 'confdb.sha256'),
  run: join(dir, 'run'),
  socket: join(dir, 'run', 'knot.sock'),
  storage: join(dir, 'storage'),
  zones: join(dir, 'zones'),
});

// sockaddr_un holds 108 bytes including the terminator.
const MAX_SOCKET_PATH = 107;

/** The text configuration; JSON string quoting is valid YAML, so paths with spaces are safe. */
export function knotConf(s: KnotSettings): string {
  const p = knotPaths(s.dir);
  const q = JSON.stringify;
  return [
    '# Written by nexus-cos at every start; imported into confdb/ when it changes.',
    'server:',
    `    rundir: ${q(p.run)}`,
    `    listen: ${q(`${s.host}@${s.port}`)}`,
    'log:',
    '  - target: stdout',
    '    any: info',
    'database:',
    `    storage: ${q(p.storage)}`,
    'control:',
    `    listen: ${q(p.socket)}`,
    'template:',
    '  - id: default',
    `    storage: ${q(p.zones)}`,
    '',
  ].join('\n');
}

/**
 * knotd, run in the foreground (no `-d`) so the supervisor is its parent and sees its exit
 * at once. It runs from a config database (`-C`), so later runtime changes survive a
 * restart; the text config is re-imported only when it changed (a new port, say).
 */
export function knotSpec(s: KnotSettings, runner: CommandRunner): ChildSpec {
  const p = knotPaths(s.dir);
  if (p.socket.length > MAX_SOCKET_PATH) {
    throw new NexusError('CONFIG_INVALID', `the knot control socket path is longer than ${MAX_SOCKET_PATH} bytes; use a shorter data directory`, { field: '/dataDir' });
  }
  return {
    name: 'knot',
    readyTimeoutMs: 10_000,
    async prepare() {
      for (const d of [s.dir, p.run, p.storage, p.zones]) mkdirSync(d, { recursive: true, mode: 0o700 });
      const text = knotConf(s);
      writeFileSync(p.conf, text, { mode: 0o600 });
      const digest = toHex(sha256(utf8(text)));
      const current = existsSync(p.imported) ? readFileSync(p.imported, 'utf8').trim() : '';
      if (!existsSync(p.confdb) || current !== digest) {
        // -f: replace the database; knotd is not running (we are about to start it).
        await runner.run([s.knotc, '-f', '-C', p.confdb, 'conf-import', p.conf]);
        writeFileSync(p.imported, `${digest}\n`, { mode: 0o600 });
      }
    },
    argv: () => [s.knotd, '-C', p.confdb],
    async ready() {
      // "Running" arrives before zones load; with no zones yet, that is ready.
      const r = await runner.run([s.knotc, '-s', p.socket, '-t', '1', 'status'], { timeoutMs: 2_000 });
      return r.stdout.trim() === 'Running';
    },
  };
}
