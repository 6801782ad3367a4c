import type { LoadedTrustedRoot } from '../trusted-root.js';
import { SliceLinker, assertSliceLength } from '../slice-linker.js';
import { verifyHeadProof, type VerifiedSlice } from '../slice.js';
import { VerifyPool, type ParallelOptions } from './pool.js';

/** The did:key ids of a root's keys, which a worker rebuilds its TrustedKeys from. */
export const trustedIds = (root: LoadedTrustedRoot): string[] => root.noteKeys.map((k) => k.publicKey.id);

/** What verifySliceParallel takes beside ParallelOptions: a pool to use, and proof lines to check on the way. */
export interface SliceOptions extends ParallelOptions {
  /** Used, not closed; else the call makes (and closes) a pool of its own. */
  readonly pool?: VerifyPool;
  /** Line i proves entry i in the tree of the head's checkpoint; checked beside the entry it proves. */
  readonly inclusion?: readonly Uint8Array[];
}

/**
 * verifySlice with the signatures checked on worker threads: same checks, same order of
 * failures. The main thread links the opened entries in seq order; when opening failed at
 * entry k, entries before k are linked first, so a broken link before k is reported, as
 * the sequential verifier would, and otherwise entry k's own failure. A failing proof line
 * (opts.inclusion) is not thrown: the chain's verdict comes first, so the slice is returned
 * with the lowest failing line as `inclusionFailure`, for the caller to report after it.
 */
export async function verifySliceParallel(
  entries: readonly Uint8Array[],
  headProof: unknown,
  root: LoadedTrustedRoot,
  opts: SliceOptions = {},
): Promise<VerifiedSlice & { readonly inclusionFailure?: Error }> {
  const head = verifyHeadProof(headProof, root);
  assertSliceLength(head, entries.length);
  const pool = opts.pool ?? new VerifyPool(trustedIds(root), opts);
  let prefix;
  try {
    const cp = head.checkpoint;
    prefix = await pool.openEntries(entries, opts.inclusion === undefined ? undefined : { lines: opts.inclusion, size: Number(cp.size), root: cp.root });
  } finally {
    if (opts.pool === undefined) await pool.close();
  }
  const linker = new SliceLinker(head);
  for (const e of prefix.opened) linker.add(e);
  if (prefix.failure !== undefined) throw prefix.failure;
  linker.finish();
  return { head, entries: prefix.opened, ...(prefix.inclusionFailure === undefined ? {} : { inclusionFailure: prefix.inclusionFailure }) };
}
