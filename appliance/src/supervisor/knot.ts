import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError, sha256, toHex, utf8 } from '@nexus-cos/sdk';
import type { CommandRunner } from '../ports/command-runner.js';
import type { ChildSpec } from './child.js';
import { clearStalePidFile } from './stale-pid.js';

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
  /** knotd's default PID file (`server.pidfile` relative to the run directory). */
  pid: join(dir, 'run', 'knot.pid'),
  socket: join(dir, 'run', 'knot.sock'),
  storage: join(dir, 'storage'),
  zones: join(dir, 'zones'),
  /** The TSIG key DNS UPDATEs are signed with, in knsupdate's `-k` format (mode 0600). */
  tsig: join(dir, 'tsig.key'),
});

/** The one TSIG key the appliance's DNS UPDATEs carry; knotd accepts updates only with it. */
export interface TsigKey {
  readonly name: string;
  readonly algorithm: 'hmac-sha256';
  /** Base64; a secret: never logged. */
  readonly secret: string;
}

export const TSIG_KEY_NAME = 'nexus-update';

/**
 * The instance's TSIG key, made once (256 random bits) and kept in `tsig.key`, 0600, in
 * knsupdate's `algorithm:name:secret` format so the adapter can hand knsupdate the file
 * (a secret on a command line would show in the process list).
 */
export function ensureTsigKey(dir: string): TsigKey {
  const file = knotPaths(dir).tsig;
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `hmac-sha256:${TSIG_KEY_NAME}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const m = /^hmac-sha256:([a-z0-9-]+):([A-Za-z0-9+/]+={0,2})\n?$/.exec(readFileSync(file, 'utf8'));
  if (m === null) throw new NexusError('CONFIG_INVALID', `${file} is not a TSIG key in algorithm:name:secret form`, { field: '/dataDir' });
  return { name: m[1] as string, algorithm: 'hmac-sha256', secret: m[2] as string };
}

// sockaddr_un holds 108 bytes including the terminator.
const MAX_SOCKET_PATH = 107;

/**
 * The text configuration; JSON string quoting is valid YAML, so paths with spaces are safe.
 * Every zone (the default template) accepts DNS UPDATE and zone transfers only when signed
 * with the instance's TSIG key; nothing else may change a zone over the network.
 */
export function knotConf(s: KnotSettings, tsig: TsigKey): string {
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
    'key:',
    `  - id: ${tsig.name}`,
    `    algorithm: ${tsig.algorithm}`,
    `    secret: ${tsig.secret}`,
    'acl:',
    '  - id: nexus-update',
    `    key: ${tsig.name}`,
    '    action: [update, transfer]',
    'template:',
    '  - id: default',
    `    storage: ${q(p.zones)}`,
    '    acl: nexus-update',
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
      // A PID file from before a power cut would stop knotd from ever starting again.
      clearStalePidFile(p.pid, 'knotd', p.confdb);
      const text = knotConf(s, ensureTsigKey(s.dir));
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
