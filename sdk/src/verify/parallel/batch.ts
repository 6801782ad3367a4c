import { isNexusError, type ErrorCode } from '../../errors/index.js';
import { openEntry } from '../../ledger/entry.js';
import type { LedgerEntry } from '../../schemas/ledger.js';
import { InclusionRun } from '../inclusion-run.js';
import type { TrustedKeys } from '../trust.js';

/** A run of consecutive records sent to a worker: their bytes back to back, and where each ends. */
interface Records {
  readonly id: number;
  /** Position of the batch's first record in the whole list. */
  readonly base: number;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/** Ledger entries to open. */
export interface EntryBatch extends Records {
  readonly kind: 'entries';
}

/** Inclusion-proof lines to check against the leaves of the entries they prove, in one tree. */
export interface InclusionBatch extends Records {
  readonly kind: 'inclusion';
  /** 32 bytes per line: the leaf hash of the entry the line proves. */
  readonly leaves: Uint8Array;
  readonly size: number;
  readonly root: Uint8Array;
}

export type Batch = EntryBatch | InclusionBatch;

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

/** What a worker answers: the entries it opened (none for proofs), in order, up to the first failure. */
export interface BatchResult {
  readonly id: number;
  readonly opened: readonly OpenedLite[];
  readonly failure?: RecordFailure;
}

/**
 * Runs a batch: opens each entry exactly as the sequential verifier does (openEntry: the
 * signature is verified before the payload is parsed), or checks each proof line with the
 * same InclusionRun the sequential path uses; stops at the first failure.
 */
export function runBatch(b: Batch, trusted: TrustedKeys): BatchResult {
  const opened: OpenedLite[] = [];
  // Consecutive proof lines share most of their nodes; a run computes each shared node once.
  let run: InclusionRun | undefined;
  let start = 0;
  for (let j = 0; j < b.ends.length; j++) {
    const end = b.ends[j] as number;
    const index = b.base + j;
    const bytes = b.bytes.subarray(start, end);
    try {
      if (b.kind === 'entries') {
        const e = openEntry(bytes, trusted, `/entries/${index}`);
        opened.push({ hash: e.hash, entry: e.entry, signedBy: e.signedBy });
      } else {
        run ??= new InclusionRun(b.size, b.root);
        run.check(bytes, index, b.leaves.subarray(32 * j, 32 * j + 32));
      }
    } catch (e) {
      if (!isNexusError(e)) throw e;
      return { id: b.id, opened, failure: { index, code: e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) } };
    }
    start = end;
  }
  return { id: b.id, opened };
}
