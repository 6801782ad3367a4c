/** Time, injected so tests control it and domain code stays pure. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** RFC 3339 UTC with milliseconds, the one timestamp form the schemas accept. */
export function timestamp(clock: Clock): string {
  return clock.now().toISOString();
}
