import type { SyncSigner } from '@nexus-cos/sdk';
import type { GateFacts } from '../domain/gates/types.js';
import type { Gatekeeper } from '../gatekeeper/gatekeeper.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Clock } from '../ports/clock.js';
import type { Registry } from '../ports/registry.js';
import type { Serial } from './serial.js';

/** What every service works with: one ledger, one gatekeeper, one registry, one queue. */
export interface ServiceContext {
  readonly ledger: Ledger;
  readonly gatekeeper: Gatekeeper;
  readonly registry: Registry;
  readonly platform: SyncSigner;
  readonly operators: readonly string[];
  readonly storagePools: Readonly<Record<string, string>>;
  readonly clock: Clock;
  readonly facts: () => GateFacts;
  readonly serial: Serial;
}
