import { fromBase64 } from '../encoding/base64.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { leafHash } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/verify-inclusion.js';
import { verifyConsistencyProof } from '../verify/proofs.js';
import { verifySliceParallel } from '../verify/parallel/slice.js';
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

/**
 * Steps 4 and 5 of spec/exit-bundle.md §4, against the trusted root only (never the
 * manifest): the chain is complete up to the head the signed checkpoint commits, and every
 * entry's inclusion proof and every consistency proof verifies. Long chains have their
 * signatures checked on worker threads, with the same verdict and first failure.
 */
export async function checkLedger(files: ReadonlyMap<string, Uint8Array>, root: LoadedTrustedRoot): Promise<VerifiedSlice> {
  const need = (path: string): Uint8Array => {
    const b = files.get(path);
    if (b === undefined) throw fail('BUNDLE_FILE_MISSING', 'the bundle has no such file', path);
    return b;
  };
  const headProof = within(HEAD_PROOF_PATH, () => json(need(HEAD_PROOF_PATH), ''));
  within(HEAD_PROOF_PATH, () => verifyHeadProof(headProof, root));
  const entries = lines(need(CHAIN_PATH), CHAIN_PATH);
  const slice = entries.length < PARALLEL_MIN_ENTRIES
    ? within(CHAIN_PATH, () => verifySlice(entries, headProof, root))
    : await withinAsync(CHAIN_PATH, () => verifySliceParallel(entries, headProof, root));
  const cp = slice.head.checkpoint;
  const size = Number(cp.size);
  const proofs = lines(need(INCLUSION_PATH), INCLUSION_PATH);
  if (proofs.length !== entries.length) throw fail('SLICE_INCOMPLETE', `${proofs.length} inclusion proofs for ${entries.length} entries`, INCLUSION_PATH);
  within(INCLUSION_PATH, () => proofs.forEach((line, i) => {
    const p = json(line, `/${i}`) as { logIndex?: unknown; hashes?: unknown };
    if (typeof p.logIndex !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(p.logIndex) || !Array.isArray(p.hashes)) {
      throw fail('MERKLE_PROOF_MALFORMED', 'expected {"logIndex","hashes"}', `/${i}`);
    }
    const proof = p.hashes.map((h: unknown, j) => fromBase64(typeof h === 'string' ? h : '', `/${i}/hashes/${j}`));
    verifyInclusion({ index: Number(p.logIndex), size, leafHash: leafHash(entries[i] as Uint8Array), proof, root: cp.root });
  }));
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
