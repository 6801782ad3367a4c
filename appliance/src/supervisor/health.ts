import type { ComponentHealth, HealthReport } from '@nexus-cos/sdk';

export type { ComponentHealth, HealthReport };

/** A component's state, as a supervised child moves through its life. */
export type ChildStatus = 'starting' | 'ok' | 'restarting' | 'stopping' | 'stopped';

/** States that count as healthy: running and ready, or not ours to run. */
const HEALTHY = new Set(['ok', 'external', 'absent']);

/**
 * The overall verdict: `down` when the ledger is not ok (nothing can be written, gate 5),
 * `degraded` when any other component is not healthy, else `ok`.
 */
export function overall(components: Readonly<Record<string, ComponentHealth>>): HealthReport['status'] {
  if (components.ledger !== undefined && components.ledger.status !== 'ok') return 'down';
  return Object.values(components).every((c) => HEALTHY.has(c.status)) ? 'ok' : 'degraded';
}
