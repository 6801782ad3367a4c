import { isNexusError } from '@nexus-cos/sdk';
import type { ChildExit, ChildProcessHandle, CommandRunner } from '../ports/command-runner.js';
import type { Logger } from '../ports/logger.js';
import { STABLE_AFTER_MS, restartDelay } from './backoff.js';
import type { ChildStatus, ComponentHealth } from './health.js';
import { pollUntil } from './probes.js';

/** What one supervised program needs: how to prepare, start and recognise it as ready. */
export interface ChildSpec {
  readonly name: string;
  /** Writes its configuration (every start, so a restart heals a damaged file). */
  prepare(): Promise<void>;
  argv(): readonly [string, ...string[]];
  /** One readiness check; polled until true or `readyTimeoutMs`. */
  ready(): Promise<boolean>;
  readonly readyTimeoutMs: number;
}

/** Timing knobs, overridable by tests. */
export interface ChildTiming {
  readonly stopTimeoutMs?: number;
  readonly restartBaseMs?: number;
  readonly restartMaxMs?: number;
}

const errText = (e: unknown): string => (isNexusError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

/**
 * Runs one child for as long as the appliance runs: start, wait until ready, and on any
 * exit that was not asked for, report it (log + health `restarting` with the exit code or
 * signal) and start again after 1 s, 2 s, 4 s ... up to 30 s. It never gives up silently.
 */
export class SupervisedChild {
  #status: ChildStatus = 'stopped';
  #child: ChildProcessHandle | undefined;
  #restarts = 0;
  #lastExit: ComponentHealth['lastExit'];
  #detail: string | undefined;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #firstOutcome: ((ready: boolean) => void) | undefined;

  constructor(
    private readonly spec: ChildSpec,
    private readonly runner: CommandRunner,
    private readonly log: Logger,
    private readonly timing: ChildTiming = {},
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Starts the loop; resolves with whether the first start became ready in time. */
  start(): Promise<boolean> {
    if (this.#loop !== undefined) return Promise.resolve(this.#status === 'ok');
    this.#stopping = false;
    const first = new Promise<boolean>((resolve) => {
      this.#firstOutcome = resolve;
    });
    this.#loop = this.#run();
    return first;
  }

  /** SIGTERM, wait for the exit (SIGKILL after the stop timeout), and end the loop. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    const child = this.#child;
    if (child !== undefined) {
      this.#status = 'stopping';
      await this.#terminate(child);
    }
    await this.#loop;
    this.#loop = undefined;
  }

  health(): ComponentHealth {
    return {
      status: this.#status,
      ...(this.#detail === undefined ? {} : { detail: this.#detail }),
      ...(this.#child === undefined ? {} : { pid: this.#child.pid }),
      restarts: this.#restarts,
      ...(this.#lastExit === undefined ? {} : { lastExit: this.#lastExit }),
    };
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.#stopping) {
      this.#status = this.#restarts === 0 ? 'starting' : 'restarting';
      let readyAt: number | undefined;
      let exit: ChildExit;
      try {
        await this.spec.prepare();
        const argv = this.spec.argv();
        const child = this.runner.spawn(argv, { onLine: (line, stream) => this.log.debug({ component: this.name, stream }, line) });
        this.#child = child;
        this.log.info({ component: this.name, pid: child.pid, argv }, 'child started');
        const ready = await pollUntil(() => this.spec.ready(), this.spec.readyTimeoutMs, child.exited);
        if (ready && !this.#stopping) {
          readyAt = Date.now();
          this.#status = 'ok';
          this.#detail = undefined;
          this.log.info({ component: this.name, pid: child.pid }, 'child ready');
        } else if (!this.#stopping) {
          this.#detail = `SUPERVISION_FAILED: not ready within ${this.spec.readyTimeoutMs} ms`;
          this.log.error({ component: this.name, pid: child.pid, code: 'SUPERVISION_FAILED' }, this.#detail);
          await this.#terminate(child);
        }
        this.#settleFirst(ready);
        exit = await child.exited;
      } catch (e) {
        // prepare() or spawn failed: a failed attempt like any other, reported and retried.
        this.#detail = `SUPERVISION_FAILED: ${errText(e)}`;
        this.log.error({ component: this.name, code: 'SUPERVISION_FAILED', err: errText(e) }, 'child could not be started');
        this.#settleFirst(false);
        exit = { code: null, signal: null };
      }
      this.#child = undefined;
      if (this.#stopping) break;
      this.#restarts++;
      this.#lastExit = { code: exit.code, signal: exit.signal, at: new Date().toISOString() };
      if (readyAt !== undefined && Date.now() - readyAt >= STABLE_AFTER_MS) attempt = 0;
      const delay = restartDelay(attempt++, this.timing.restartBaseMs, this.timing.restartMaxMs);
      this.#status = 'restarting';
      this.log.error({ component: this.name, code: exit.code, signal: exit.signal, restarts: this.#restarts, delayMs: delay }, 'child exited unexpectedly; restarting');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    this.#status = 'stopped';
    this.#settleFirst(false);
    this.log.info({ component: this.name }, 'child stopped');
  }

  #settleFirst(ready: boolean): void {
    this.#firstOutcome?.(ready);
    this.#firstOutcome = undefined;
  }

  async #terminate(child: ChildProcessHandle): Promise<void> {
    child.kill('SIGTERM');
    const limit = this.timing.stopTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), limit);
    });
    const r = await Promise.race([child.exited, late]);
    clearTimeout(timer);
    if (r === 'late') {
      this.log.warn({ component: this.name, pid: child.pid, afterMs: limit }, 'child ignored SIGTERM; sending SIGKILL');
      child.kill('SIGKILL');
      await child.exited;
    }
  }
}
