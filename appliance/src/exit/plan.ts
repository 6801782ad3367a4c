import type { BundleFile } from '@nexus-cos/sdk';
import { anchorExport, buildExitBundle, manifestSigner, type BuildDeps } from './builder.js';
import type { BundleSection, ExportAnchor } from './section.js';

const BLOCK = 512;
/** Two zero blocks end a tar archive (tar-stream writes nothing after them). */
const END = 2 * BLOCK;
const ZERO_DIGEST = '0'.repeat(64);

const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/**
 * Whether tar-stream writes `path` in one ustar header (name ≤ 100 bytes after moving
 * leading directories into a prefix of ≤ 155), as its headers.encode does; otherwise it
 * adds a pax header whose size we do not predict, and the plan says "unknown".
 */
export function fitsUstar(path: string): boolean {
  let name = path;
  let prefix = '';
  while (name.length > 100) {
    const i = name.indexOf('/');
    if (i === -1) return false;
    prefix += prefix === '' ? name.slice(0, i) : `/${name.slice(0, i)}`;
    name = name.slice(i + 1);
  }
  return prefix.length <= 155;
}

/** An export about to stream: its expected size and member count, then the bytes. */
export interface PlannedExit {
  /** Bytes of the (uncompressed) tar archive; absent when a header's size cannot be predicted. */
  readonly bytes?: number;
  /** Members, the manifest included; absent when a costly section was not listed up front. */
  readonly files?: number;
  readonly stream: AsyncIterable<Uint8Array>;
}

async function measure(sections: readonly BundleSection[], imvu: string, anchor: ExportAnchor): Promise<{ listed: BundleFile[]; fits: boolean }> {
  const listed: BundleFile[] = [];
  let fits = true;
  for (const s of sections) {
    for await (const f of s.files(imvu, anchor)) {
      // Only the declared size is read; no content is opened.
      listed.push({ path: f.path, size: String(f.size), sha256: ZERO_DIGEST, mediaType: f.mediaType });
      fits &&= fitsUstar(f.path);
    }
  }
  return { listed, fits };
}

/**
 * Plans an export so a client can show real progress: one pass over the sections reads
 * each file's declared size (no content), and the manifest's length is known before its
 * digests are, since every digest has the same length: a manifest signed over placeholder
 * digests is exactly as long as the real one. The size is what the stream will be unless
 * the IMVU changes between this pass and the stream's. When a section would have to copy
 * data to list its files (mailboxes, VM disks), nothing is announced.
 */
export async function planExitBundle(deps: BuildDeps, imvu: string, now: Date): Promise<PlannedExit> {
  const at = anchorExport(deps.ledger, imvu);
  if (deps.sections.some((s) => s.costly?.(imvu) === true)) return { stream: buildExitBundle(deps, imvu, now, at) };
  const { listed, fits } = await measure(deps.sections, imvu, at);
  const manifest = manifestSigner(deps, imvu, now, at)(listed).length;
  const bytes = listed.reduce((n, f) => n + BLOCK + padded(Number(f.size)), BLOCK + padded(manifest) + END);
  return { ...(fits ? { bytes } : {}), files: listed.length + 1, stream: buildExitBundle(deps, imvu, now, at) };
}
