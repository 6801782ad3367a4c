import {
  EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, canonicalBytes, packBundle, signJsonSync,
  type BundleFile, type BundleSource, type ExitBundleManifest, type SyncSigner,
} from '@nexus-cos/sdk';
import type { Ledger } from '../ledger/ledger.js';
import { headArtifact } from '../ledger/proofs.js';
import type { BundleSection, ExportAnchor } from './section.js';
import { commitHead } from './sections/ledger.js';

/** What a bundle is built from: the ledger it is anchored to, the platform key, its sections. */
export interface BuildDeps {
  readonly ledger: Ledger;
  readonly platform: SyncSigner;
  readonly sections: readonly BundleSection[];
}

async function* allFiles(sections: readonly BundleSection[], imvu: string, anchor: ExportAnchor): AsyncGenerator<BundleSource> {
  for (const s of sections) yield* s.files(imvu, anchor);
}

/**
 * Commits the IMVU's head in a signed checkpoint if the latest does not, and pins that
 * checkpoint: the manifest names it and the ledger section proves against it, even if
 * later checkpoints are signed while earlier files stream.
 */
export function anchorExport(ledger: Ledger, imvu: string): ExportAnchor {
  commitHead(ledger, imvu);
  return { treeSize: ledger.checkpointer.latestSize, head: headArtifact(ledger, imvu) };
}

/** The manifest signer of one export, over its pinned anchor. */
export function manifestSigner(deps: BuildDeps, imvu: string, now: Date, at: ExportAnchor): (files: BundleFile[]) => Uint8Array {
  const createdAt = now.toISOString();
  const anchor: ExitBundleManifest['anchor'] = { checkpoint: at.head.checkpoint, treeSize: String(at.treeSize), imvuHead: { seq: at.head.seq, head: at.head.head } };
  return (files: BundleFile[]): Uint8Array => {
    const manifest: ExitBundleManifest = { mediaType: EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, imvu, createdAt, files, anchor };
    return canonicalBytes(signJsonSync(EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, manifest, [deps.platform]));
  };
}

/**
 * Streams the exit bundle of `imvu` (spec/exit-bundle.md): the sections' files one at a
 * time, then the manifest signed by the platform, last.
 */
export function buildExitBundle(deps: BuildDeps, imvu: string, now: Date, at = anchorExport(deps.ledger, imvu)): AsyncIterable<Uint8Array> {
  return packBundle(allFiles(deps.sections, imvu, at), now, manifestSigner(deps, imvu, now, at));
}
