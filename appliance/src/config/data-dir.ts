import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the data lives unless told otherwise: /var/lib/nexus-cos for root, else under the home. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>): string {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/lib/nexus-cos';
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'nexus-cos');
}
