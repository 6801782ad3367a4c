import { fromHex } from '../encoding/hex.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import type { OpenedEntry } from '../ledger/entry.js';
import { checkedOf, type CheckedChain } from '../verify/checked-chain.js';
import { InclusionRun } from '../verify/inclusion-run.js';
import { assertEntrySignedWithin, type KeyPeriod } from '../verify/key-periods.js';
import { lineEnds, lineRecords, recordAt, recordCount, type SharedRecords } from '../verify/parallel/shared.js';
import type { ParallelOptions } from '../verify/parallel/pool.js';
import { verifyRecordsParallel } from '../verify/parallel/slice.js';
import type { StreamedChain } from '../verify/parallel/stream.js';
import { verifyConsistencyProof } from '../verify/proofs.js';
import { verifyHeadProof, verifySlice } from '../verify/slice.js';
import type { LoadedTrustedRoot } from '../verify/trusted-root.js';
import { CHAIN_PATH, CONSISTENCY_PATH, HEAD_PROOF_PATH, INCLUSION_PATH } from './layout.js';
import { within, withinAsync } from './within.js';

/** Splits newline-terminated records into views (no copy); a missing final newline is refused. */
export function lines(bytes: Uint8Array, path: string): Uint8Array[] {
  const r: SharedRecords = { bytes, ends: lineEnds(bytes, path), gap: 1 };
  return Array.from(r.ends, (_, i) => recordAt(r, i));
}

/** One proof line per entry, or the file is incomplete. */
function assertProofCount(proofs: number, entries: number): void {
  if (proofs !== entries) throw fail('SLICE_INCOMPLETE', `${proofs} inclusion proofs for ${entries} entries`, INCLUSION_PATH);
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

/** A verified chain, with the failures the bundle check reports after the chain's own verdict. */
export interface CheckedLedger extends CheckedChain {
  /** The lowest entry signed outside its key's validity period (only when periods were asked for). */
  readonly periodFailure?: Error;
}

/** Where worker threads take over, how many, and the key periods to check on the way. */
export interface LedgerCheckOptions extends ParallelOptions {
  /** Chains of this many entries or more are checked on worker threads (default PARALLEL_MIN_ENTRIES). */
  readonly parallelFrom?: number;
  readonly periods?: PeriodsAt;
  /** The chain pass started while the archive streamed (verifyExitBundle); used when it ran on exactly this chain. */
  readonly started?: StreamedChain;
}

/** Key periods to check every entry against, and the export time that bounds event entries. */
export interface PeriodsAt {
  readonly byKey: ReadonlyMap<string, KeyPeriod>;
  readonly exported: string;
}

const periodFailureOf = (entries: readonly OpenedEntry[], periods: PeriodsAt | undefined): Error | undefined => {
  if (periods === undefined) return undefined;
  try {
    entries.forEach((e, i) => assertEntrySignedWithin(periods.byKey, e.signedBy, e.entry, periods.exported, `/entries/${i}/time`));
    return undefined;
  } catch (e) {
    return e as Error;
  }
};

/** The chain slice and every entry's inclusion proof in the anchor's tree, one entry at a time. */
function sequential(records: SharedRecords, headProof: unknown, proofs: () => Uint8Array[], root: LoadedTrustedRoot, periods: PeriodsAt | undefined): CheckedLedger {
  const entries = Array.from(records.ends, (_, i) => recordAt(records, i));
  const slice = within(CHAIN_PATH, () => verifySlice(entries, headProof, root));
  const cp = slice.head.checkpoint;
  const proofLines = proofs();
  assertProofCount(proofLines.length, entries.length);
  // In place: the lines are views of the complete file, and each leaf is a fresh array.
  const run = new InclusionRun(Number(cp.size), cp.root, { inPlace: true });
  // Each entry's leaf hash was computed when it was opened (its `hash`).
  within(INCLUSION_PATH, () => proofLines.forEach((line, i) => run.check(line, i, fromHex((slice.entries[i] as OpenedEntry).hash))));
  const periodFailure = periodFailureOf(slice.entries, periods);
  return { ...checkedOf(slice), ...(periodFailure === undefined ? {} : { periodFailure }) };
}

/**
 * The same checks, in the same order with the same first failure, on a pool of worker
 * threads that read the chain and proof files in shared memory: each entry's proof line is
 * checked beside it, and a proof failure (or a malformed proof file) is reported only once
 * the chain has verified, as sequential() would.
 */
async function parallel(records: SharedRecords, headProof: unknown, proofFile: () => Uint8Array, root: LoadedTrustedRoot, opts: LedgerCheckOptions): Promise<CheckedLedger> {
  const { periods, threads, batch, started } = opts;
  let inclusion: SharedRecords | undefined;
  let malformed: unknown;
  try {
    inclusion = lineRecords(proofFile(), INCLUSION_PATH);
    assertProofCount(recordCount(inclusion), recordCount(records));
  } catch (e) {
    [inclusion, malformed] = [undefined, e];
  }
  const { inclusionFailure, ...checked } = await withinAsync(CHAIN_PATH, () => verifyRecordsParallel(records, headProof, root, {
    ...(inclusion === undefined ? {} : { inclusion }), ...(periods === undefined ? {} : { periods }), ...(threads === undefined ? {} : { threads }),
    ...(batch === undefined ? {} : { batch }), ...(started === undefined ? {} : { started }),
  }));
  if (malformed !== undefined) throw malformed;
  if (inclusionFailure !== undefined) within(INCLUSION_PATH, () => { throw inclusionFailure; });
  return checked;
}

/**
 * Steps 4 and 5 of spec/exit-bundle.md §4, against the trusted root only (never the
 * manifest): the chain is complete up to the head the signed checkpoint commits, and every
 * entry's inclusion proof and every consistency proof verifies. Long chains are checked on
 * worker threads (from `parallelFrom` entries on), with the same verdict and first failure.
 * With `periods`, each entry's key periods (step 6a) are checked on the way, and the first
 * failure is returned for the caller to report in its place.
 */
export async function checkLedger(files: ReadonlyMap<string, Uint8Array>, root: LoadedTrustedRoot, opts: LedgerCheckOptions = {}): Promise<CheckedLedger> {
  const { parallelFrom = PARALLEL_MIN_ENTRIES, periods } = opts;
  const need = (path: string): Uint8Array => {
    const b = files.get(path);
    if (b === undefined) throw fail('BUNDLE_FILE_MISSING', 'the bundle has no such file', path);
    return b;
  };
  const headProof = within(HEAD_PROOF_PATH, () => json(need(HEAD_PROOF_PATH), ''));
  within(HEAD_PROOF_PATH, () => verifyHeadProof(headProof, root));
  const chainBytes = need(CHAIN_PATH);
  // A chain that streamed in has had its lines found already.
  const streamed = opts.started?.job.chain.bytes === chainBytes ? opts.started.records() : undefined;
  const records = streamed ?? lineRecords(chainBytes, CHAIN_PATH);
  // Read once the chain verified, as before: one proof line per entry.
  const proofs = (): Uint8Array[] => lines(need(INCLUSION_PATH), INCLUSION_PATH);
  const slice = recordCount(records) < parallelFrom
    ? sequential(records, headProof, proofs, root, periods)
    : await parallel(records, headProof, () => need(INCLUSION_PATH), root, opts);
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
