import type { LoadedTrustedRoot } from '../trusted-root.js';
import { SliceLinker, assertSliceLength } from '../slice-linker.js';
import { verifyHeadProof, type VerifiedSlice } from '../slice.js';
import { VerifyPool, type ParallelOptions } from './pool.js';

/** The did:key ids of a root's keys, which a worker rebuilds its TrustedKeys from. */
export const trustedIds = (root: LoadedTrustedRoot): string[] => root.noteKeys.map((k) => k.publicKey.id);

/**
 * verifySlice with the signatures checked on worker threads: same checks, same order of
 * failures. The main thread links the opened entries in seq order; when opening failed at
 * entry k, entries before k are linked first, so a broken link before k is reported, as
 * the sequential verifier would, and otherwise entry k's own failure. Uses `pool` when
 * given (the caller closes it), else a pool of its own.
 */
export async function verifySliceParallel(
  entries: readonly Uint8Array[],
  headProof: unknown,
  root: LoadedTrustedRoot,
  opts: ParallelOptions & { readonly pool?: VerifyPool } = {},
): Promise<VerifiedSlice> {
  const head = verifyHeadProof(headProof, root);
  assertSliceLength(head, entries.length);
  const pool = opts.pool ?? new VerifyPool(trustedIds(root), opts);
  let prefix;
  try {
    prefix = await pool.openEntries(entries);
  } finally {
    if (opts.pool === undefined) await pool.close();
  }
  const linker = new SliceLinker(head);
  for (const e of prefix.opened) linker.add(e);
  if (prefix.failure !== undefined) throw prefix.failure;
  linker.finish();
  return { head, entries: prefix.opened };
}
