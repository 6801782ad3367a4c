import { fromHex } from '../../encoding/hex.js';
import { isNexusError, type ErrorCode } from '../../errors/index.js';
import { openEntry } from '../../ledger/entry.js';
import type { LedgerEntry } from '../../schemas/ledger.js';
import { InclusionRun } from '../inclusion-run.js';
import type { TrustedKeys } from '../trust.js';

/** A run of consecutive records: their bytes back to back, and where each ends. */
export interface Records {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/**
 * Ledger entries to open, from position `base` of the whole list, and optionally each one's
 * inclusion-proof line in the tree (size, root), checked in the same pass: the entry's leaf
 * hash is at hand once it is opened, and one round trip per batch is cheaper than two.
 */
export interface Batch extends Records {
  readonly id: number;
  readonly base: number;
  readonly proofs?: Records & { readonly size: number; readonly root: Uint8Array };
}

/** An opened entry as it crosses back to the main thread (its bytes stay where they were). */
export interface OpenedLite {
  readonly hash: string;
  readonly entry: LedgerEntry;
  readonly signedBy: readonly string[];
}

/** The coded failure of one record, as data (errors do not cross threads with their codes). */
export interface RecordFailure {
  readonly index: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
}

/**
 * What a worker answers: the entries it opened, in order, up to the first that failed to
 * open; and, among those opened, the first whose proof line failed. Both are reported,
 * because a chain failure outranks any proof failure (the sequential order checks the chain first).
 */
export interface BatchResult {
  readonly id: number;
  readonly opened: readonly OpenedLite[];
  readonly failure?: RecordFailure;
  readonly inclusionFailure?: RecordFailure;
}

const asFailure = (e: unknown, index: number): RecordFailure => {
  if (!isNexusError(e)) throw e;
  return { index, code: e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) };
};

/**
 * Runs a batch: opens each entry exactly as the sequential verifier does (openEntry: the
 * signature is verified before the payload is parsed) and checks its proof line with the
 * same InclusionRun the sequential path uses; stops at the first entry that fails to open.
 */
export function runBatch(b: Batch, trusted: TrustedKeys): BatchResult {
  const opened: OpenedLite[] = [];
  const p = b.proofs;
  // Consecutive proof lines share most of their nodes; a run computes each shared node once.
  const run = p === undefined ? undefined : new InclusionRun(p.size, p.root);
  let inclusionFailure: RecordFailure | undefined;
  for (let j = 0, start = 0, line = 0; j < b.ends.length; j++) {
    const end = b.ends[j] as number;
    const index = b.base + j;
    let e;
    try {
      e = openEntry(b.bytes.subarray(start, end), trusted, `/entries/${index}`);
    } catch (err) {
      return { id: b.id, opened, failure: asFailure(err, index), ...(inclusionFailure === undefined ? {} : { inclusionFailure }) };
    }
    opened.push({ hash: e.hash, entry: e.entry, signedBy: e.signedBy });
    start = end;
    if (run === undefined || p === undefined) continue;
    const lineEnd = p.ends[j] as number;
    if (inclusionFailure === undefined) {
      try {
        run.check(p.bytes.subarray(line, lineEnd), index, fromHex(e.hash));
      } catch (err) {
        inclusionFailure = asFailure(err, index);
      }
    }
    line = lineEnd;
  }
  return { id: b.id, opened, ...(inclusionFailure === undefined ? {} : { inclusionFailure }) };
}
