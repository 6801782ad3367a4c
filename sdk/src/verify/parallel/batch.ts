import { isNexusError, type ErrorCode } from '../../errors/index.js';
import { openEntry } from '../../ledger/entry.js';
import type { LedgerEntry } from '../../schemas/ledger.js';
import type { TrustedKeys } from '../trust.js';

/** A run of consecutive entries sent to a worker: their bytes back to back, and where each ends. */
export interface Batch {
  readonly id: number;
  /** Position of the batch's first entry in the slice. */
  readonly base: number;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/** An opened entry as it crosses back to the main thread (its bytes stay where they were). */
export interface OpenedLite {
  readonly hash: string;
  readonly entry: LedgerEntry;
  readonly signedBy: readonly string[];
}

/** The coded failure of one entry, as data (errors do not cross threads with their codes). */
export interface EntryFailure {
  readonly index: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
}

/** What a worker answers: the entries it opened, in order, up to the first that failed. */
export interface BatchResult {
  readonly id: number;
  readonly opened: readonly OpenedLite[];
  readonly failure?: EntryFailure;
}

/**
 * Opens each entry of a batch exactly as the sequential verifier does (openEntry: the
 * signature is verified before the payload is parsed), stopping at the first failure.
 */
export function openBatch(b: Batch, trusted: TrustedKeys): BatchResult {
  const opened: OpenedLite[] = [];
  let start = 0;
  for (let j = 0; j < b.ends.length; j++) {
    const end = b.ends[j] as number;
    const index = b.base + j;
    try {
      const e = openEntry(b.bytes.subarray(start, end), trusted, `/entries/${index}`);
      opened.push({ hash: e.hash, entry: e.entry, signedBy: e.signedBy });
    } catch (e) {
      if (!isNexusError(e)) throw e;
      return { id: b.id, opened, failure: { index, code: e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) } };
    }
    start = end;
  }
  return { id: b.id, opened };
}
