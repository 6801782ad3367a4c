import {
  EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, canonicalBytes, packBundle, signJsonSync,
  type BundleFile, type BundleSource, type ExitBundleManifest, type SyncSigner,
} from '@nexus-cos/sdk';
import type { Ledger } from '../ledger/ledger.js';
import { headArtifact } from '../ledger/proofs.js';
import type { BundleSection } from './section.js';
import { commitHead } from './sections/ledger.js';

/** What a bundle is built from: the ledger it is anchored to, the platform key, its sections. */
export interface BuildDeps {
  readonly ledger: Ledger;
  readonly platform: SyncSigner;
  readonly sections: readonly BundleSection[];
}

async function* allFiles(sections: readonly BundleSection[], imvu: string): AsyncGenerator<BundleSource> {
  for (const s of sections) yield* s.files(imvu);
}

/**
 * The manifest signer of one export of `imvu`: the head is committed by a signed checkpoint
 * first, so the anchor named in the manifest is the one the ledger section proves against.
 * Fixed once, so the size planned up front (plan.ts) and the bundle streamed agree.
 */
export function manifestSigner(deps: BuildDeps, imvu: string, now: Date): (files: BundleFile[]) => Uint8Array {
  commitHead(deps.ledger, imvu);
  const head = headArtifact(deps.ledger, imvu);
  const anchor: ExitBundleManifest['anchor'] = {
    checkpoint: head.checkpoint, treeSize: String(deps.ledger.checkpointer.latestSize), imvuHead: { seq: head.seq, head: head.head },
  };
  const createdAt = now.toISOString();
  return (files: BundleFile[]): Uint8Array => {
    const manifest: ExitBundleManifest = { mediaType: EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, imvu, createdAt, files, anchor };
    return canonicalBytes(signJsonSync(EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, manifest, [deps.platform]));
  };
}

/**
 * Streams the exit bundle of `imvu` (spec/exit-bundle.md): the sections' files one at a
 * time, then the manifest signed by the platform, last.
 */
export function buildExitBundle(deps: BuildDeps, imvu: string, now: Date, sign = manifestSigner(deps, imvu, now)): AsyncIterable<Uint8Array> {
  return packBundle(allFiles(deps.sections, imvu), now, sign);
}
