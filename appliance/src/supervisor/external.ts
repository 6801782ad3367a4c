import type { ComponentHealth } from './health.js';
import { pollUntil } from './probes.js';

/**
 * Consecutive missed probes before a service that answered is reported `unreachable`. One
 * slow answer is not an outage: under emulation (the ISO under QEMU TCG) or a loaded host a
 * single probe can miss its timeout while the service serves clients fine, and a flapping
 * /healthz is worse than one that reports a real loss 10 s later (HAProxy's `fall 3` and
 * Kubernetes' failureThreshold 3 make the same call).
 */
export const MISSES_BEFORE_UNREACHABLE = 3;

/**
 * A service the system runs for us (systemd on the appliance ISO): we do not start it, but
 * /healthz must not vouch for it blindly. It is probed where clients reach it, at start and
 * then every `intervalMs`: `external` while it answers, `unreachable` once it has missed
 * MISSES_BEFORE_UNREACHABLE probes in a row (or never answered). Until the first probe
 * returns it is `starting`, which is not healthy, so an `ok` verdict always means the
 * service answered.
 */
export class ExternalService {
  #health: ComponentHealth;
  #timer: NodeJS.Timeout | undefined;
  #answered = false;
  #missed = 0;
  #inFlight = false;

  constructor(
    private readonly probe: () => Promise<boolean>,
    private readonly where: string,
    private readonly intervalMs: number,
  ) {
    this.#health = { status: 'starting', detail: `managed by the system; first probe of ${where} pending` };
  }

  /**
   * Waits until it answers, for at most six probe intervals (the system may still be
   * starting it: boot order is not ours), then keeps probing in the background (the timer
   * never holds the process open). Resolves to whether it answered.
   */
  async start(): Promise<boolean> {
    const ok = await pollUntil(() => this.check(), this.intervalMs * 6, new Promise(() => undefined), Math.min(500, this.intervalMs));
    this.#timer ??= setInterval(() => void this.#tick(), this.intervalMs).unref();
    return ok;
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  health(): ComponentHealth {
    return this.#health;
  }

  // A probe slower than the interval must not overlap the next one (they would pile up).
  async #tick(): Promise<void> {
    if (this.#inFlight) return;
    this.#inFlight = true;
    try {
      await this.check();
    } finally {
      this.#inFlight = false;
    }
  }

  /** One probe, and the verdict it leads to; resolves to whether the service answered. */
  async check(): Promise<boolean> {
    const ok = await this.probe().catch(() => false);
    if (ok) {
      this.#answered = true;
      this.#missed = 0;
      this.#health = { status: 'external', detail: `managed by the system; answers on ${this.where}` };
    } else {
      this.#missed += 1;
      if (!this.#answered || this.#missed >= MISSES_BEFORE_UNREACHABLE) {
        this.#health = { status: 'unreachable', detail: `managed by the system; no answer on ${this.where}${this.#answered ? ` (${this.#missed} probes in a row)` : ''}` };
      } else {
        this.#health = { status: 'external', detail: `managed by the system; answers on ${this.where} (missed ${this.#missed} probe${this.#missed === 1 ? '' : 's'})` };
      }
    }
    return ok;
  }
}
