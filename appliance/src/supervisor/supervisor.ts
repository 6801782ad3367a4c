import { hostname } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../ports/command-runner.js';
import type { Logger } from '../ports/logger.js';
import { SupervisedChild, type ChildTiming } from './child.js';
import { ExternalService } from './external.js';
import { harakaSpec } from './haraka.js';
import type { HarakaMailSettings } from './haraka-mail.js';
import type { ComponentHealth } from './health.js';
import { knotSpec } from './knot.js';
import { dnsAnswers, probeHost, smtpBanner } from './probes.js';

/** One supervised service's settings, as the config gives them. */
export interface ServiceSettings {
  /** false: someone else runs it (a system service); we probe it and report it as `external` or `unreachable`. */
  readonly managed: boolean;
  readonly host: string;
  readonly port: number;
}

/** What the supervisor is given by the composition root. */
export interface SupervisorOptions {
  readonly dataDir: string;
  readonly knot: ServiceSettings;
  readonly haraka: ServiceSettings;
  readonly runner: CommandRunner;
  readonly log: Logger;
  /** Haraka's bin/haraka, or undefined when it is not installed. */
  readonly harakaBin: string | undefined;
  readonly nodeBin?: string;
  readonly timing?: ChildTiming;
  /** The nexus mail plugin's settings for Haraka (issue 7); without them Haraka has no plugin. */
  readonly mail?: HarakaMailSettings;
  /** How often a service the system runs is probed (default 5 s). */
  readonly probeIntervalMs?: number;
}

type Slot = { readonly child: SupervisedChild } | { readonly external: ExternalService } | { readonly fixed: ComponentHealth };

/**
 * Starts and stops the appliance's own knotd and Haraka, each configured inside the data
 * directory, when installed and not managed from outside; reports every one of them.
 */
export class Supervisor {
  readonly #slots = new Map<string, Slot>();

  constructor(opts: SupervisorOptions) {
    const { runner, log, timing } = opts;
    const every = opts.probeIntervalMs ?? 5_000;
    // A generous answer time: a probe is not a latency check, and a TCG guest is slow.
    const patience = 3_000;
    const at = (x: ServiceSettings): [string, number, string] => [probeHost(x.host), x.port, `${x.host}:${x.port}`];
    const [kHost, kPort, kWhere] = at(opts.knot);
    const [hHost, hPort, hWhere] = at(opts.haraka);
    const knotd = runner.which('knotd');
    const knotc = runner.which('knotc');
    this.#slots.set('knot', !opts.knot.managed
      ? { external: new ExternalService(() => dnsAnswers(kHost, kPort, patience), `${kWhere} (DNS)`, every) }
      : knotd === undefined || knotc === undefined
        ? { fixed: { status: 'absent', detail: 'knotd/knotc not found on PATH (apt-get install knot)' } }
        : { child: new SupervisedChild(knotSpec({ dir: join(opts.dataDir, 'knot'), host: opts.knot.host, port: opts.knot.port, knotd, knotc }, runner), runner, log, timing) });
    this.#slots.set('haraka', !opts.haraka.managed
      ? { external: new ExternalService(async () => (await smtpBanner(hHost, hPort, patience)) !== undefined, `${hWhere} (SMTP)`, every) }
      : opts.harakaBin === undefined
        ? { fixed: { status: 'absent', detail: 'Haraka not found in node_modules' } }
        : { child: new SupervisedChild(harakaSpec({ dir: join(opts.dataDir, 'haraka'), host: opts.haraka.host, port: opts.haraka.port, hostname: hostname(), bin: opts.harakaBin, node: opts.nodeBin ?? process.execPath, ...(opts.mail === undefined ? {} : { mail: opts.mail }) }), runner, log, timing) });
  }

  /** Starts every managed child; resolves once each was ready or failed its first start (then it keeps retrying). */
  async start(): Promise<Record<string, boolean>> {
    const out: Record<string, boolean> = {};
    await Promise.all([...this.#slots].map(async ([name, slot]) => {
      out[name] = 'child' in slot ? await slot.child.start() : 'external' in slot ? await slot.external.start() : true;
    }));
    return out;
  }

  /** Stops every child: SIGTERM, wait, SIGKILL after the timeout. */
  async stop(): Promise<void> {
    await Promise.all([...this.#slots.values()].map((s) => ('child' in s ? s.child.stop() : 'external' in s ? s.external.stop() : undefined)));
  }

  /** Each component's health, by name. */
  health(): Record<string, ComponentHealth> {
    return Object.fromEntries([...this.#slots].map(([name, s]) => [name, 'child' in s ? s.child.health() : 'external' in s ? s.external.health() : s.fixed]));
  }
}
