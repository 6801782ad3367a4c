import type { ApplianceConfig } from '../config/schema.js';
import type { CommandRunner } from '../ports/command-runner.js';
import type { HarakaMailSettings } from '../supervisor/haraka-mail.js';
import { mailPaths } from './paths.js';
import { ensureMailTls } from './tls.js';

/**
 * The name mail clients and other MTAs reach this appliance by: the MX target it publishes
 * for every mail domain (its first name server), so the certificate names what MX says.
 * The config schema holds it to the DNS name grammar; the OS host name is not (it may hold
 * an underscore, say), so it is never used.
 */
export function mailHost(config: Pick<ApplianceConfig, 'dns'>): string {
  return config.dns.nameservers[0] ?? 'localhost';
}

/**
 * What Haraka's nexus plugin is configured with, from the data directory: the decision
 * socket, the DKIM keys and the STARTTLS certificate (made on first use, for `mailHost`).
 * One source for the Haraka the appliance supervises and the one systemd runs on the ISO,
 * so both load the plugin and both offer AUTH.
 */
export async function harakaMailSettings(config: Pick<ApplianceConfig, 'dataDir' | 'dns'>, runner: CommandRunner): Promise<HarakaMailSettings> {
  const p = mailPaths(config.dataDir);
  return { socket: p.socket, dkimDir: p.dkim, tls: await ensureMailTls(p.tls, mailHost(config), runner) };
}
