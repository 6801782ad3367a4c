import type { ExitBundleManifest } from '../schemas/exit-bundle.js';
import { assertSignedWithin } from '../verify/key-periods.js';
import type { VerifiedSlice } from '../verify/slice.js';
import type { LoadedTrustedRoot } from '../verify/trusted-root.js';
import { CHAIN_PATH, HEAD_PROOF_PATH, MANIFEST_PATH } from './layout.js';

/**
 * Kinds whose `time` is when the reported event happened, not when the platform signed it:
 * the signing lies somewhere between that time and the export.
 */
const EVENT_KINDS: ReadonlySet<string> = new Set(['usage', 'revenue']);

/**
 * Step 6a of spec/exit-bundle.md §4: every signature by a trusted key falls inside that key's
 * validity period. The manifest is signed at its `createdAt`; an entry at its `time` (an event
 * entry between its `time` and `createdAt`); the anchor checkpoint after the head it commits
 * and before the export. Older roots without periods make this a no-op.
 */
export function checkKeyPeriods(root: LoadedTrustedRoot, slice: VerifiedSlice, manifest: ExitBundleManifest, manifestSignedBy: readonly string[]): void {
  if (root.periods.size === 0) return;
  const exported = manifest.createdAt;
  // In the order of §4: the chain, its anchor checkpoint, then the manifest.
  slice.entries.forEach(({ entry, signedBy }, i) => {
    assertSignedWithin(root.periods, signedBy, entry.time, EVENT_KINDS.has(entry.kind) ? exported : entry.time, `${CHAIN_PATH}#/entries/${i}/time`);
  });
  const headTime = slice.entries.at(-1)?.entry.time ?? exported;
  assertSignedWithin(root.periods, slice.head.signedBy, headTime, exported, `${HEAD_PROOF_PATH}#/checkpoint`);
  assertSignedWithin(root.periods, manifestSignedBy, exported, exported, `${MANIFEST_PATH}#/payload/createdAt`);
}
