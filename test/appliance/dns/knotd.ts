import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../../appliance/src/ports/command-runner.js';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { KnotDns } from '../../../appliance/src/adapters/knot/index.js';
import { knotPaths, knotSpec } from '../../../appliance/src/supervisor/knot.js';
import { eventually, freePort } from '../../helpers/ports.js';

/** A private knotd for one test: its own config DB, socket and storage in a temp dir. */
export interface PrivateKnot {
  readonly dir: string;
  readonly port: number;
  readonly dns: KnotDns;
  readonly runner: ExecaRunner;
  /** `kdig @127.0.0.1 -p PORT +short ...` over UDP, or TCP with `+tcp`. */
  dig(...args: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts knotd the way the supervisor does (same conf and paths), then waits until it answers. */
export async function startKnot(opts: { beforeUpdate?: (k: { socket: string; knotc: string }) => Promise<void> } = {}): Promise<PrivateKnot> {
  const runner = new ExecaRunner();
  const dir = mkdtempSync(join(tmpdir(), 'nx-dns-'));
  let port = await freePort();
  while (port === 5353) port = await freePort(); // mDNS
  const knotd = runner.which('knotd');
  const knotc = runner.which('knotc');
  if (knotd === undefined || knotc === undefined) throw new Error('knotd/knotc are not installed (scripts/install.sh)');
  const spec = knotSpec({ dir: join(dir, 'knot'), host: '127.0.0.1', port, knotd, knotc }, runner);
  await spec.prepare();
  const child = runner.spawn(spec.argv());
  const p = knotPaths(join(dir, 'knot'));
  // 30 s: on a loaded 2-core CI machine (an ISO boot beside the tests) 5 s was once too few.
  const up = await eventually(() => spec.ready().catch(() => false), 30_000);
  if (!up) {
    child.kill('SIGKILL');
    throw new Error('knotd did not start');
  }
  const hooked = opts.beforeUpdate === undefined ? runner : beforeUpdate(runner, () => (opts.beforeUpdate as NonNullable<typeof opts.beforeUpdate>)({ socket: p.socket, knotc }));
  const dns = new KnotDns({
    runner: hooked, socket: p.socket, confdb: p.confdb, zonesDir: p.zones, exportDir: join(dir, 'export'), knotc, keymgr: runner.which('keymgr') ?? 'keymgr',
    server: { host: '127.0.0.1', port }, tsigKeyFile: p.tsig, keystoreDir: join(p.storage, 'keys', 'keys'),
  });
  const dig = async (...args: string[]) => {
    const r = await runner.run(['kdig', `@127.0.0.1`, '-p', String(port), '+short', '+time=2', '+retry=1', ...args]);
    return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0).sort();
  };
  return {
    dir, port, dns, runner, dig,
    async stop() {
      child.kill('SIGTERM');
      // knotd takes about 1.5 s to exit: wait on the pid, not on knotc stop.
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await child.exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real runner, except that `hook` runs just before each DNS UPDATE is sent. */
function beforeUpdate(real: CommandRunner, hook: () => Promise<void>): CommandRunner {
  return {
    which: (p) => real.which(p),
    spawn: (argv, o) => real.spawn(argv, o),
    async run(argv, o) {
      if (argv[0].endsWith('knsupdate')) await hook();
      return real.run(argv, o);
    },
  };
}
