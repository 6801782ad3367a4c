import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildSpec } from './child.js';
import { harakaMailFiles, type HarakaMailSettings } from './haraka-mail.js';
import { smtpBanner } from './probes.js';

/** Where and how our Haraka listens. */
export interface HarakaSettings {
  /** Absolute; Haraka's `-c` directory, whose `config/` holds its files. */
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** The name Haraka greets with (`config/me`). */
  readonly hostname: string;
  /** Haraka's bin/haraka script. */
  readonly bin: string;
  /** The node binary to run it with. */
  readonly node: string;
  /** The nexus mail plugin's settings; without them Haraka runs with no plugin. */
  readonly mail?: HarakaMailSettings;
}

/**
 * The config files we own. Haraka falls back to its packaged defaults for anything not
 * here. `nodes=0` in smtp.ini: one process (unset means a master plus a worker), so a kill takes everything with it and a
 * restart never meets an orphaned worker holding the port.
 */
export function harakaFiles(s: HarakaSettings): Record<string, string> {
  return {
    // Without connection.ini every connection crashes (PLATFORM-NOTES).
    'connection.ini': [
      '; Written by nexus-cos (Haraka 3.3.4 defaults, which the file replaces as a whole).',
      '[main]', '[haproxy]', 'hosts[]=',
      '[headers]', 'max_lines=1000', 'max_received=100',
      '[max]', 'bytes=26214400', 'mime_parts=1000', 'line_length=512', 'data_line_length=992',
      '[message]', 'helo=Nexus COS mail', 'close=closing connection.',
      '[uuid]', 'banner_chars=6', 'deny_chars=0', '',
    ].join('\n'),
    // nodes=0: no cluster (see above).
    'smtp.ini': `; Written by nexus-cos.\n[main]\nlisten=${s.host}:${s.port}\nnodes=0\n`,
    'log.ini': '[main]\nlevel=info\ntimestamps=false\nformat=default\n',
    me: `${s.hostname}\n`,
    // The nexus mail plugin (identity binding, gate 8) comes with the mail issue. With no
    // rcpt plugin Haraka refuses every recipient, so an unconfigured relay accepts nothing.
    plugins: '# Written by nexus-cos. The nexus mail plugin is added by the mail issue.\n',
    ...(s.mail === undefined ? {} : harakaMailFiles(s.mail)),
  };
}

/** Haraka, from node_modules, with its config directory inside the data directory. */
export function harakaSpec(s: HarakaSettings): ChildSpec {
  return {
    name: 'haraka',
    readyTimeoutMs: 10_000,
    prepare() {
      const conf = join(s.dir, 'config');
      mkdirSync(conf, { recursive: true, mode: 0o700 });
      for (const [name, text] of Object.entries(harakaFiles(s))) writeFileSync(join(conf, name), text, { mode: 0o600 });
      return Promise.resolve();
    },
    argv: () => [s.node, s.bin, '-c', s.dir],
    async ready() {
      return (await smtpBanner(s.host, s.port)) !== undefined;
    },
  };
}
