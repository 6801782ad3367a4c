import { join } from 'node:path';
import { LocalSigner, TRUSTED_ROOT_MEDIA_TYPE, loadTrustedRoot } from '@nexus-cos/sdk';
import { SqliteLedgerStore } from '../../appliance/src/adapters/sqlite/ledger-store.js';
import { Ledger } from '../../appliance/src/ledger/ledger.js';
import type { Clock } from '../../appliance/src/ports/clock.js';
import { tempDir } from './tmp.js';

export const ORIGIN = 'test.nexus-cos.invalid/ledger';
export const platform = LocalSigner.fromSeed(new Uint8Array(32).fill(9));
export const owner = LocalSigner.fromSeed(new Uint8Array(32).fill(10));

/** A clock that advances one second per reading, from a fixed start. */
export function steppingClock(start = Date.parse('2026-11-26T00:00:00Z')): Clock {
  let t = start;
  return { now: () => new Date((t += 1000)) };
}

/** A fresh temporary database path. */
export function tempDb(): string {
  return join(tempDir('nexus-ledger-'), 'ledger.sqlite');
}

/** Opens (and verifies) the ledger at `path`. */
export function openLedger(path: string, checkpointEvery = 1000, checkpointIntervalMs = 1e12): Ledger {
  return Ledger.open({ store: new SqliteLedgerStore(path), signer: platform, origin: ORIGIN, clock: steppingClock(), checkpointEvery, checkpointIntervalMs });
}

/** The trusted root an outside verifier would be handed for this test platform. */
export const trustedRoot = loadTrustedRoot({ mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin: ORIGIN, keys: [{ name: ORIGIN, publicKey: platform.publicKey.id }] });

/** A usage event for IMVU `imvu`, number `i`. */
export function usage(imvu: string, i: number, quantity = 1n) {
  return {
    imvu, actor: owner.publicKey.id, id: `evt-${i}`, source: 'urn:nexus-cos:test', type: 'dev.nexus-cos.usage.dns.query',
    subject: 'example.org', time: `2026-11-26T00:00:${String(i % 60).padStart(2, '0')}Z`, meter: 'dns.queries', quantity, unit: 'query',
  };
}
