/**
 * Nonces seen, each remembered until its request expires (spec/requests.md §5). Memory is
 * bounded twice: an entry is kept at most `horizonMs` past now (no request gate 1 accepts
 * lives longer, so forgetting later ones cannot reopen a replay), and when `capacity`
 * live nonces are held, new ones are reported as replays: under a flood the cache fails
 * closed rather than forgetting.
 */
import type { NonceStore } from '../ports/nonce-store.js';

export class ReplayCache implements NonceStore {
  /** In memory only: a restart forgets, so requests from before it are refused. */
  readonly durable = false;
  readonly #seen = new Map<string, number>();
  #nextSweep = 0;

  constructor(
    private readonly horizonMs: number,
    private readonly capacity = 1_000_000,
  ) {}

  /** Records `nonce` until `expires`; true when it was already held (a replay) or cannot be held. */
  seen(nonce: string, expires: number, now: number): boolean {
    this.#sweep(now);
    const held = this.#seen.get(nonce);
    if (held !== undefined && held > now) return true;
    if (this.#seen.size >= this.capacity) return true;
    this.#seen.set(nonce, Math.min(expires, now + this.horizonMs));
    return false;
  }

  get size(): number {
    return this.#seen.size;
  }

  // Map iteration is insertion order, not expiry order, so a sweep visits everything; it
  // runs at most once a second, which keeps it amortised under load.
  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 1000;
    for (const [nonce, until] of this.#seen) if (until <= now) this.#seen.delete(nonce);
  }
}
