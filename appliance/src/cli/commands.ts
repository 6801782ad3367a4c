import { resolve } from 'node:path';
import { NexusClient, NexusError, isNexusError } from '@nexus-cos/sdk';
import { defaultDataDir } from '../config/data-dir.js';
import { initDataDir } from '../config/init.js';
import { loadConfig } from '../config/load.js';
import { createLogger, installDisk, prepareServices, startAppliance } from '../main.js';
import { USAGE, parseCli } from './args.js';
import { importCommand } from './import-command.js';

/** What the CLI may touch besides the data directory: its streams, the environment, signals. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves on the first SIGTERM or SIGINT. */
  untilSignal(): Promise<string>;
}

const HEALTHY = new Set(['ok', 'external', 'absent']);

/** Runs one command and returns the exit code. Coded errors are printed as `CODE field: message`. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.help || args.command === undefined) {
      io.stdout(`${USAGE}\n`);
      return args.help ? 0 : 2;
    }
    switch (args.command) {
      case 'init': {
        const dataDir = resolve(args.flags['data-dir'] ?? io.env.NEXUS_COS_DATA_DIR ?? defaultDataDir(io.env));
        const r = initDataDir({ dataDir, ...(args.flags.origin === undefined ? {} : { origin: args.flags.origin }), ...(args.flags.jurisdiction === undefined ? {} : { jurisdiction: args.flags.jurisdiction }) });
        io.stdout(`${r.created ? 'initialised' : 'already initialised'}: ${r.dataDir}\nplatform key: ${r.platformKey}\n`);
        return 0;
      }
      case 'serve':
        return await serve(args.flags, io);
      case 'status':
        return await status(args.flags, io);
      case 'prepare-services': {
        const done = await prepareServices(loadConfig({ flags: args.flags, env: io.env }));
        io.stdout(`knot: ${done.knot ?? 'managed by nexus-cos serve'}\nharaka: ${done.haraka ?? 'managed by nexus-cos serve'}\n`);
        return 0;
      }
      case 'import':
        return await importCommand(args, io);
      case 'install': {
        const disk = args.flags.disk;
        if (disk === undefined) throw new NexusError('USAGE', 'install needs --disk /dev/XXX');
        await installDisk({ disk, force: args.force }, (line) => io.stdout(`${line}\n`));
        io.stdout(`installed to ${disk}\n`);
        return 0;
      }
      default:
        throw new NexusError('USAGE', `unknown command ${args.command}`);
    }
  } catch (e) {
    if (!isNexusError(e)) {
      io.stderr(`nexus-cos: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    io.stderr(`nexus-cos: ${e.code}${e.field === undefined ? '' : ` ${e.field}`}: ${e.message}\n`);
    if (e.code === 'USAGE') io.stderr(`${USAGE}\n`);
    return e.code === 'USAGE' || e.code === 'CONFIG_INVALID' ? 2 : 1;
  }
}

async function serve(flags: Record<string, string | undefined>, io: CliIo): Promise<number> {
  // Listen for the signal before starting: one that arrives mid-start still shuts down cleanly.
  const stop = io.untilSignal();
  const config = loadConfig({ flags, env: io.env });
  const log = createLogger(config.log.level);
  const appliance = await startAppliance(config, log);
  const signal = await stop;
  log.info({ signal }, 'shutting down');
  await appliance.close();
  log.flush();
  return 0;
}

async function status(flags: Record<string, string | undefined>, io: CliIo): Promise<number> {
  let url = flags.url;
  if (url === undefined) {
    const c = loadConfig({ flags, env: io.env });
    const host = c.http.host === '0.0.0.0' ? '127.0.0.1' : c.http.host === '::' ? '::1' : c.http.host;
    url = `http://${host.includes(':') ? `[${host}]` : host}:${c.http.port}`;
  }
  const client = new NexusClient({ baseUrl: url, retries: 0, timeoutMs: 5_000 });
  try {
    const h = await client.health();
    io.stdout(`${url}: ${h.status}\n`);
    if (h.platformKey !== undefined) io.stdout(`  platform key: ${h.platformKey}\n`);
    for (const [name, c] of Object.entries(h.components)) {
      const extra = [c.pid === undefined ? '' : `pid ${c.pid}`, c.restarts ? `${c.restarts} restarts` : '', c.lastExit === undefined ? '' : `last exit ${c.lastExit.signal ?? c.lastExit.code}`, c.detail ?? ''].filter(Boolean).join(', ');
      io.stdout(`  ${name.padEnd(8)} ${c.status.padEnd(11)}${extra === '' ? '' : ` ${extra}`}\n`);
    }
    return Object.values(h.components).every((c) => HEALTHY.has(c.status)) && h.status === 'ok' ? 0 : 1;
  } finally {
    await client.close();
  }
}
