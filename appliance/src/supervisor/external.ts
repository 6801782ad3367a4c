import type { ComponentHealth } from './health.js';
import { pollUntil } from './probes.js';

/**
 * A service the system runs for us (systemd on the appliance ISO): we do not start it, but
 * /healthz must not vouch for it blindly. It is probed where clients reach it, at start and
 * then every `intervalMs`: `external` while it answers, `unreachable` when it does not.
 * Until the first probe returns it is `starting`, which is not healthy, so an `ok` verdict
 * always means the service answered.
 */
export class ExternalService {
  #health: ComponentHealth;
  #timer: NodeJS.Timeout | undefined;

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
    const ok = await pollUntil(() => this.#check(), this.intervalMs * 6, new Promise(() => undefined), Math.min(500, this.intervalMs));
    this.#timer ??= setInterval(() => void this.#check(), this.intervalMs).unref();
    return ok;
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  health(): ComponentHealth {
    return this.#health;
  }

  async #check(): Promise<boolean> {
    const ok = await this.probe().catch(() => false);
    this.#health = ok
      ? { status: 'external', detail: `managed by the system; answers on ${this.where}` }
      : { status: 'unreachable', detail: `managed by the system; no answer on ${this.where}` };
    return ok;
  }
}
