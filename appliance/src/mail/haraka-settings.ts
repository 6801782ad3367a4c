import { hostname } from 'node:os';
import type { CommandRunner } from '../ports/command-runner.js';
import type { HarakaMailSettings } from '../supervisor/haraka-mail.js';
import { mailPaths } from './paths.js';
import { ensureMailTls } from './tls.js';

/**
 * What Haraka's nexus plugin is configured with, from the data directory: the decision
 * socket, the DKIM keys and the STARTTLS certificate (made on first use). One source for
 * the Haraka the appliance supervises and the one systemd runs on the ISO, so both load
 * the plugin and both offer AUTH.
 */
export async function harakaMailSettings(dataDir: string, runner: CommandRunner, host = hostname()): Promise<HarakaMailSettings> {
  const p = mailPaths(dataDir);
  return { socket: p.socket, dkimDir: p.dkim, tls: await ensureMailTls(p.tls, host, runner) };
}
