import { parseArgs } from 'node:util';
import { NexusError } from '@nexus-cos/sdk';
import { SETTINGS, flagName } from '../config/settings.js';

/** The parsed command line: the command, setting flags by name, and the command's own flags. */
export interface ParsedArgs {
  readonly command: string | undefined;
  readonly flags: Record<string, string | undefined>;
  readonly help: boolean;
  /** `install --force`: erase a disk that holds data. */
  readonly force: boolean;
  /** The command's one operand (`import BUNDLE`); only commands that take one accept it. */
  readonly operand?: string;
}

/** Commands that take one operand after their name. */
const TAKES_OPERAND: ReadonlySet<string> = new Set(['import']);

const EXTRA = ['origin', 'jurisdiction', 'url', 'disk', 'key', 'appliance', 'trusted-root'] as const;

/** Parses argv; an unknown flag or a stray argument is USAGE (exit 2), never ignored. */
export function parseCli(argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' }, force: { type: 'boolean' } };
  for (const s of SETTINGS) options[flagName(s)] = { type: 'string' };
  for (const e of EXTRA) options[e] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new NexusError('USAGE', (e as Error).message);
  }
  const command = parsed.positionals[0];
  const max = command !== undefined && TAKES_OPERAND.has(command) ? 2 : 1;
  if (parsed.positionals.length > max) throw new NexusError('USAGE', `unexpected argument ${parsed.positionals[max] ?? ''}`);
  const operand = parsed.positionals[1];
  const flags: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(parsed.values)) if (typeof v === 'string') flags[k] = v;
  return { command, flags, help: parsed.values.help === true, force: parsed.values.force === true, ...(operand === undefined ? {} : { operand }) };
}

export const USAGE = `usage: nexus-cos <command> [options]

commands:
  init     create the data directory (0700), the platform key (0600) and config.json
           [--data-dir DIR] [--origin LOG-ORIGIN] [--jurisdiction CC (where this box stores data, default EU)]
  serve    run the HTTP API and supervise knotd and Haraka until SIGTERM/SIGINT
  status   print each component's health from the running appliance's /healthz  [--url URL]
  prepare-services
           write the knotd config database and Haraka's config into the data directory, for
           a box where systemd runs them (knot.managed / haraka.managed false; the ISO)
  install  install the running live system (the ISO) to a whole disk: GPT, BIOS and UEFI
           boot, the data directory and platform key kept  --disk /dev/XXX [--force (erase a
           disk that holds data)]
  import   re-instantiate an IMVU from its exit bundle on an appliance, signed by the owner:
           BUNDLE --key OWNER_KEY_FILE (base64 seed, mode 600) [--appliance URL (default
           http://127.0.0.1:8080)] [--trusted-root FILE (verify locally against it first)]

settings (flags > environment > DATA_DIR/config.json > defaults):
${SETTINGS.map((s) => `  --${flagName(s)}`).join('\n')}
  each also as NEXUS_COS_<NAME>, e.g. --http-port = NEXUS_COS_HTTP_PORT

exit: 0 ok, 1 failure (or unhealthy, for status), 2 usage or configuration error`;
