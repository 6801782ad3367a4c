/** First restart delay. */
export const RESTART_BASE_MS = 1_000;
/** Longest restart delay. */
export const RESTART_MAX_MS = 30_000;
/** A child that stayed ready this long has recovered: its next failure starts the backoff over. */
export const STABLE_AFTER_MS = 30_000;

/** Delay before restart number `attempt` (0-based): 1 s, 2 s, 4 s, ... capped at 30 s. */
export function restartDelay(attempt: number, baseMs = RESTART_BASE_MS, maxMs = RESTART_MAX_MS): number {
  return Math.min(baseMs * 2 ** Math.min(attempt, 30), maxMs);
}
