import { hostname } from 'node:os';
import { join } from 'node:path';
import { NexusError } from '@nexus-cos/sdk';
import type { ApplianceConfig } from '../config/schema.js';
import type { CommandRunner } from '../ports/command-runner.js';
import { harakaMailSettings } from '../mail/haraka-settings.js';
import { harakaSpec } from '../supervisor/haraka.js';
import { knotSpec } from '../supervisor/knot.js';

/** What `prepareSystemServices` needs besides the config. */
export interface SystemServiceDeps {
  readonly runner: CommandRunner;
  /** Haraka's bin/haraka (locateHaraka()), or undefined when Haraka is not installed. */
  readonly harakaBin: string | undefined;
  readonly nodeBin: string;
}

/** Which services were configured, and where. */
export interface PreparedServices {
  readonly knot?: string;
  readonly haraka?: string;
}

/**
 * Writes the knotd config database and Haraka's config directory inside the data
 * directory, exactly as the supervisor would before starting them, for a box where systemd
 * runs them (`knot.managed`/`haraka.managed` false): one source for both ways of running.
 * A service the config still manages is skipped: the appliance writes its config itself.
 */
export async function prepareSystemServices(config: ApplianceConfig, deps: SystemServiceDeps): Promise<PreparedServices> {
  const out: { knot?: string; haraka?: string } = {};
  if (!config.knot.managed) {
    const knotd = deps.runner.which('knotd');
    const knotc = deps.runner.which('knotc');
    if (knotd === undefined || knotc === undefined) throw new NexusError('COMMAND_FAILED', 'knotd/knotc not found on PATH (apt-get install knot)', { field: '/knot' });
    const dir = join(config.dataDir, 'knot');
    await knotSpec({ dir, host: config.knot.host, port: config.knot.port, knotd, knotc }, deps.runner).prepare();
    out.knot = dir;
  }
  if (!config.haraka.managed) {
    if (deps.harakaBin === undefined) throw new NexusError('COMMAND_FAILED', 'Haraka not found in node_modules', { field: '/haraka' });
    const dir = join(config.dataDir, 'haraka');
    // With the nexus plugin and its certificate, as the supervised Haraka has them.
    const mail = await harakaMailSettings(config, deps.runner);
    await harakaSpec({ dir, host: config.haraka.host, port: config.haraka.port, hostname: hostname(), bin: deps.harakaBin, node: deps.nodeBin, mail }).prepare();
    out.haraka = dir;
  }
  return out;
}
