import { isNexusError, type ErrorCode } from '../../errors/index.js';
import { openEntry, type OpenedEntry } from '../../ledger/entry.js';
import { GENESIS_PREV, type LedgerEntry } from '../../schemas/ledger.js';
import { isNotable } from '../checked-chain.js';
import { InclusionRun } from '../inclusion-run.js';
import { assertEntrySignedWithin, failsBeforeExport, isEventKind, type KeyPeriod } from '../key-periods.js';
import { eventKey, linkFailure } from '../slice-linker.js';
import type { TrustedKeys } from '../trust.js';
import { fingerprint } from './event-table.js';
import { recordAt, recordCount, type SharedRecords } from './shared.js';

/**
 * One verification, as every batch of it sees it: inputs and outputs in shared memory.
 * Workers write each opened entry's leaf hash and event fingerprint in place, so what
 * crosses back per batch is small: the entries later checks read, and failures.
 */
export interface Job {
  readonly chain: SharedRecords;
  /** The chain every entry must belong to (the committed head's). */
  readonly chainId: string;
  /** Out: entry i's leaf hash at bytes [32i, 32i + 32). */
  readonly hashes: Uint8Array;
  /** Out: entry i's event fingerprint (event-table.ts), 0 when it records no event. */
  readonly events: Uint32Array;
  /** Line i proves entry i in the tree (size, root); checked beside the entry. */
  readonly proofs?: SharedRecords & { readonly size: number; readonly root: Uint8Array };
  /**
   * Key periods to check each entry's signatures against, with the export time. Without it
   * (a chain checked while the archive streams, before the manifest that states it), each
   * batch checks what does not depend on it and reports `firstEventBy` for the rest.
   */
  readonly periods?: { readonly byKey: ReadonlyMap<string, KeyPeriod>; readonly exported?: string };
  /** `inclusion`: a second pass that checks only the proof lines, against the leaf hashes a chain pass wrote. */
  readonly pass?: 'inclusion';
}

/** Entries [base, base + count) of a job. */
export interface Batch {
  readonly id: number;
  readonly base: number;
  readonly count: number;
  readonly job: Job;
}

/** An opened entry that crosses back parsed: every entry but `usage`, and the slice's last. */
export interface NotableLite {
  readonly index: number;
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
 * What a worker answers. Entries base.. up to the first failure were opened and linked (each
 * to the previous one in the batch; the first's link to the batch before is `firstPrev`, for
 * the main thread). `failure.stage` says whether the failing entry did not open, or opened
 * and did not link. Proof and period failures are only reported: the chain's verdict outranks them.
 */
export interface BatchResult {
  readonly id: number;
  readonly notable: readonly NotableLite[];
  readonly failure?: RecordFailure & { readonly stage: 'open' | 'link' };
  readonly firstPrev?: string;
  readonly inclusionFailure?: RecordFailure;
  readonly periodFailure?: RecordFailure;
  /** Without an export time: the lowest event entry of the batch each key (with a period) signed. */
  readonly firstEventBy?: Readonly<Record<string, number>>;
}

const asFailure = (e: unknown, index: number): RecordFailure => {
  if (!isNexusError(e)) throw e;
  return { index, code: e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) };
};

/**
 * Runs a batch: opens each entry exactly as the sequential verifier does (openEntry: the
 * signature is verified before the payload is parsed), links it with the sequential linker's
 * rules, then checks its proof line and key periods; stops at the first entry that fails to
 * open or link (any later failure has a higher index, so it cannot be the verdict).
 */
export function runBatch(b: Batch, trusted: TrustedKeys): BatchResult {
  const { job } = b;
  const p = job.proofs;
  const count = recordCount(job.chain);
  // Consecutive proof lines share most of their nodes; a run computes each shared node once.
  // In place: the lines lie in shared memory no thread writes once they are complete, and a
  // leaf hash is written (below) before its line is checked, never after.
  const run = p === undefined ? undefined : new InclusionRun(p.size, p.root, { inPlace: true });
  const notable: NotableLite[] = [];
  let inclusionFailure: RecordFailure | undefined;
  let periodFailure: RecordFailure | undefined;
  let firstPrev: string | undefined;
  let prev = b.base === 0 ? GENESIS_PREV : undefined;
  const periods = job.periods;
  const deferred = periods !== undefined && periods.exported === undefined;
  const hashes = Buffer.from(job.hashes.buffer, job.hashes.byteOffset, job.hashes.byteLength);
  const firstEventBy: Record<string, number> = {};
  const answer = (failure?: BatchResult['failure']): BatchResult => ({
    id: b.id, notable,
    ...(failure === undefined ? {} : { failure }),
    ...(firstPrev === undefined ? {} : { firstPrev }),
    ...(inclusionFailure === undefined ? {} : { inclusionFailure }),
    ...(periodFailure === undefined ? {} : { periodFailure }),
    ...(deferred ? { firstEventBy } : {}),
  });
  for (let i = b.base; i < b.base + b.count; i++) {
    let e;
    try {
      e = openEntry(recordAt(job.chain, i), trusted, `/entries/${i}`);
    } catch (err) {
      return answer({ ...asFailure(err, i), stage: 'open' });
    }
    // openEntry's own lower-case hex, written in place (no fromHex validation: it cannot fail).
    hashes.write(e.hash, 32 * i, 32, 'hex');
    const leaf = job.hashes.subarray(32 * i, 32 * i + 32);
    // Before linking: a repeated event is reported ahead of a broken link at the same entry.
    const key = eventKey(e.entry);
    if (key !== undefined) job.events[i] = fingerprint(key);
    const broken = linkFailure(e.entry, i, job.chainId, prev);
    if (broken !== undefined) return answer({ ...asFailure(broken, i), stage: 'link' });
    if (prev === undefined) firstPrev = e.entry.prev;
    prev = e.hash;
    if (isNotable(e, i, count)) notable.push({ index: i, hash: e.hash, entry: e.entry, signedBy: e.signedBy });
    if (deferred) {
      deferPeriods(periods.byKey, e, i, firstEventBy, periodFailure === undefined ? (f) => (periodFailure = f) : undefined);
    } else if (periods?.exported !== undefined && periodFailure === undefined) {
      try {
        assertEntrySignedWithin(periods.byKey, e.signedBy, e.entry, periods.exported, `/entries/${i}/time`);
      } catch (err) {
        periodFailure = asFailure(err, i);
      }
    }
    if (run !== undefined && p !== undefined && inclusionFailure === undefined) {
      try {
        run.check(recordAt(p, i), i, leaf);
      } catch (err) {
        inclusionFailure = asFailure(err, i);
      }
    }
  }
  return answer();
}

/**
 * Entry i's period check without the export time: a failure that no export time can mend is
 * reported (with a provisional message: the caller words it once the time is known); each key
 * with a start that signed an event entry is noted at its first such entry, which fails if
 * that start turns out to be after the export (exportBoundKeys).
 */
function deferPeriods(byKey: ReadonlyMap<string, KeyPeriod>, e: OpenedEntry, i: number, firstEventBy: Record<string, number>, report?: (f: RecordFailure) => void): void {
  if (report !== undefined && failsBeforeExport(byKey, e.signedBy, e.entry)) report({ index: i, code: 'KEY_OUTSIDE_VALIDITY', message: 'signed outside a key validity period', field: `/entries/${i}/time` });
  if (!isEventKind(e.entry.kind)) return;
  for (const id of e.signedBy) if (byKey.get(id)?.from !== undefined && firstEventBy[id] === undefined) firstEventBy[id] = i;
}

/**
 * The inclusion pass over entries [base, base + count) of a job whose chain pass wrote every
 * leaf hash (the chain verified): each proof line against its entry, the lowest failure kept.
 */
export function runInclusionBatch(b: Batch): BatchResult {
  const p = b.job.proofs;
  if (p === undefined) return { id: b.id, notable: [] };
  // In place: the proof lines are complete, and the chain pass wrote every leaf hash.
  const run = new InclusionRun(p.size, p.root, { inPlace: true });
  for (let i = b.base; i < b.base + b.count; i++) {
    try {
      run.check(recordAt(p, i), i, b.job.hashes.subarray(32 * i, 32 * i + 32));
    } catch (err) {
      return { id: b.id, notable: [], inclusionFailure: asFailure(err, i) };
    }
  }
  return { id: b.id, notable: [] };
}
