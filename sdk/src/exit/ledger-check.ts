import { fromHex } from '../encoding/hex.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import type { OpenedEntry } from '../ledger/entry.js';
import { InclusionRun } from '../verify/inclusion-run.js';
import { VerifyPool } from '../verify/parallel/pool.js';
import { trustedIds, verifySliceParallel } from '../verify/parallel/slice.js';
import { verifyConsistencyProof } from '../verify/proofs.js';
import { verifyHeadProof, verifySlice, type VerifiedSlice } from '../verify/slice.js';
import type { LoadedTrustedRoot } from '../verify/trusted-root.js';
import { CHAIN_PATH, CONSISTENCY_PATH, HEAD_PROOF_PATH, INCLUSION_PATH } from './layout.js';
import { within, withinAsync } from './within.js';

/** Splits newline-terminated records into views (no copy); a missing final newline is refused. */
export function lines(bytes: Uint8Array, path: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, start)) {
    out.push(bytes.subarray(start, i));
    start = i + 1;
  }
  if (start !== bytes.length) throw fail('SLICE_INCOMPLETE', 'the last record is not newline-terminated (truncated?)', `${path}#/${out.length}`);
  return out;
}

const json = (bytes: Uint8Array, field: string): unknown => {
  try {
    return JSON.parse(fromUtf8(bytes, field));
  } catch (cause) {
    throw fail('INPUT_INVALID', 'not JSON', field, cause);
  }
};

/** Below this many entries, starting worker threads costs more than it saves. */
export const PARALLEL_MIN_ENTRIES = 4096;

/** The chain slice and every entry's inclusion proof in the anchor's tree, one entry at a time. */
function sequential(entries: readonly Uint8Array[], headProof: unknown, proofs: () => Uint8Array[], root: LoadedTrustedRoot): VerifiedSlice {
  const slice = within(CHAIN_PATH, () => verifySlice(entries, headProof, root));
  const cp = slice.head.checkpoint;
  const lines = proofs();
  const run = new InclusionRun(Number(cp.size), cp.root);
  // Each entry's leaf hash was computed when it was opened (its `hash`).
  within(INCLUSION_PATH, () => lines.forEach((line, i) => run.check(line, i, fromHex((slice.entries[i] as OpenedEntry).hash))));
  return slice;
}

/**
 * The same checks, in the same order with the same first failure, on a pool of worker
 * threads: each entry's proof line is checked beside it, and a proof failure (or a
 * malformed proof file) is reported only once the chain has verified, as sequential() would.
 */
async function parallel(entries: readonly Uint8Array[], headProof: unknown, proofs: () => Uint8Array[], root: LoadedTrustedRoot): Promise<VerifiedSlice> {
  let lines: Uint8Array[] | undefined;
  let malformed: unknown;
  try {
    lines = proofs();
  } catch (e) {
    malformed = e;
  }
  const pool = new VerifyPool(trustedIds(root));
  try {
    const { inclusionFailure, ...slice } = await withinAsync(CHAIN_PATH, () => verifySliceParallel(entries, headProof, root, { pool, ...(lines === undefined ? {} : { inclusion: lines }) }));
    if (malformed !== undefined) throw malformed;
    if (inclusionFailure !== undefined) within(INCLUSION_PATH, () => { throw inclusionFailure; });
    return slice;
  } finally {
    await pool.close();
  }
}

/**
 * Steps 4 and 5 of spec/exit-bundle.md §4, against the trusted root only (never the
 * manifest): the chain is complete up to the head the signed checkpoint commits, and every
 * entry's inclusion proof and every consistency proof verifies. Long chains are checked on
 * worker threads (from `parallelFrom` entries on), with the same verdict and first failure.
 */
export async function checkLedger(files: ReadonlyMap<string, Uint8Array>, root: LoadedTrustedRoot, parallelFrom = PARALLEL_MIN_ENTRIES): Promise<VerifiedSlice> {
  const need = (path: string): Uint8Array => {
    const b = files.get(path);
    if (b === undefined) throw fail('BUNDLE_FILE_MISSING', 'the bundle has no such file', path);
    return b;
  };
  const headProof = within(HEAD_PROOF_PATH, () => json(need(HEAD_PROOF_PATH), ''));
  within(HEAD_PROOF_PATH, () => verifyHeadProof(headProof, root));
  const entries = lines(need(CHAIN_PATH), CHAIN_PATH);
  // Read once the chain verified, as before: one proof line per entry.
  const proofs = (): Uint8Array[] => {
    const p = lines(need(INCLUSION_PATH), INCLUSION_PATH);
    if (p.length !== entries.length) throw fail('SLICE_INCOMPLETE', `${p.length} inclusion proofs for ${entries.length} entries`, INCLUSION_PATH);
    return p;
  };
  const slice = entries.length < parallelFrom ? sequential(entries, headProof, proofs, root) : await parallel(entries, headProof, proofs, root);
  const cp = slice.head.checkpoint;
  const consistency = files.get(CONSISTENCY_PATH);
  if (consistency !== undefined) {
    within(CONSISTENCY_PATH, () => lines(consistency, CONSISTENCY_PATH).forEach((line, i) => {
      const v = verifyConsistencyProof(json(line, `/${i}`), root);
      if (v.newCheckpoint.size !== cp.size || Buffer.compare(v.newCheckpoint.root, cp.root) !== 0) {
        throw fail('CHECKPOINT_MALFORMED', 'consistency proof does not end at the anchor checkpoint', `/${i}`);
      }
    }));
  }
  return slice;
}
