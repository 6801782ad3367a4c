import { NexusError, isNexusError, type HoldView } from '@nexus-cos/sdk';
import { planExitBundle, type PlannedExit } from '../../exit/plan.js';
import type { BundleSection } from '../../exit/section.js';
import type { Caller } from '../api.js';
import type { ServiceContext } from '../context.js';
import { auditItem } from '../effects.js';
import { requireImvu } from '../views.js';
import type { Holds } from './holds.js';

/** A refused exit under a legal hold: the error, and the hold the owner is shown. */
export interface HeldExit {
  readonly error: NexusError;
  readonly hold: HoldView;
}

/**
 * The exit request (issue 10): gates 2 and 15 judge it, and its audit entry is durable,
 * before a single byte of the bundle exists; then the bundle is planned (size, members)
 * and streamed by whoever reads the plan's stream.
 */
export class Exits {
  constructor(
    private readonly x: ServiceContext,
    private readonly sections: readonly BundleSection[],
    private readonly holds: Holds,
  ) {}

  /** Admits `exit.start` and plans the bundle; the stream is read after the queue is free. */
  start(c: Caller, imvu: string, gzip: boolean): Promise<PlannedExit> {
    return this.x.serial.run(async () => {
      requireImvu(this.x.registry, imvu);
      const admitted = await this.x.gatekeeper.admit({ action: 'exit.start', actor: c.actor, resource: `imvu:${imvu}`, imvu, proof: c.proof, params: { gzip } });
      await this.x.ledger.appendMany([auditItem(admitted, imvu, c.actor)]);
      return planExitBundle({ ledger: this.x.ledger, platform: this.x.platform, sections: this.sections }, imvu, this.x.clock.now());
    });
  }

  /** If `e` is gate 15 refusing an exit because of a hold, the hold to show the caller. */
  held(c: Caller, imvu: string, e: unknown): HeldExit | undefined {
    if (!isNexusError(e) || e.code !== 'GATE_EXIT_READINESS') return undefined;
    const hold = this.holds.shown(c, imvu);
    if (hold === undefined) return undefined;
    const error = new NexusError('GATE_EXIT_READINESS', `exit is held by ${hold.signedBy}: ${hold.reason}`, { field: e.field ?? '/gates/15', cause: e });
    return { error, hold };
  }
}
