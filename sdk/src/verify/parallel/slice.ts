import type { LoadedTrustedRoot } from '../trusted-root.js';
import { SliceLinker, assertSliceLength } from '../slice-linker.js';
import { verifyHeadProof, type VerifiedSlice } from '../slice.js';
import { openEntriesParallel, type ParallelOptions } from './pool.js';

/**
 * verifySlice with the signatures checked on worker threads: same checks, same order of
 * failures. The main thread links the opened entries in seq order; when opening failed at
 * entry k, entries before k are linked first, so a broken link before k is reported, as
 * the sequential verifier would, and otherwise entry k's own failure.
 */
export async function verifySliceParallel(entries: readonly Uint8Array[], headProof: unknown, root: LoadedTrustedRoot, opts: ParallelOptions = {}): Promise<VerifiedSlice> {
  const head = verifyHeadProof(headProof, root);
  assertSliceLength(head, entries.length);
  const { opened, failure } = await openEntriesParallel(entries, root.noteKeys.map((k) => k.publicKey.id), opts);
  const linker = new SliceLinker(head);
  for (const e of opened) linker.add(e);
  if (failure !== undefined) throw failure;
  linker.finish();
  return { head, entries: opened };
}
