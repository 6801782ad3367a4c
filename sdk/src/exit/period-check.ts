import type { ExitBundleManifest } from '../schemas/exit-bundle.js';
import { assertSignedWithin } from '../verify/key-periods.js';
import type { LoadedTrustedRoot } from '../verify/trusted-root.js';
import { CHAIN_PATH, HEAD_PROOF_PATH, MANIFEST_PATH } from './layout.js';
import type { CheckedLedger } from './ledger-check.js';
import { within } from './within.js';

/**
 * Step 6a of spec/exit-bundle.md §4: every signature by a trusted key falls inside that key's
 * validity period. The manifest is signed at its `createdAt`; an entry at its `time` (an event
 * entry between its `time` and `createdAt`: checkLedger checked each entry on the way and
 * kept the first failure); the anchor checkpoint after the head it commits and before the
 * export. Older roots without periods make this a no-op.
 */
export function checkKeyPeriods(root: LoadedTrustedRoot, ledger: CheckedLedger, manifest: ExitBundleManifest, manifestSignedBy: readonly string[]): void {
  if (root.periods.size === 0) return;
  const exported = manifest.createdAt;
  // In the order of §4: the chain, its anchor checkpoint, then the manifest.
  const entryFailure = ledger.periodFailure;
  if (entryFailure !== undefined) within(CHAIN_PATH, () => { throw entryFailure; });
  const headTime = ledger.notable.at(-1)?.entry.time ?? exported;
  assertSignedWithin(root.periods, ledger.head.signedBy, headTime, exported, `${HEAD_PROOF_PATH}#/checkpoint`);
  assertSignedWithin(root.periods, manifestSignedBy, exported, exported, `${MANIFEST_PATH}#/payload/createdAt`);
}
