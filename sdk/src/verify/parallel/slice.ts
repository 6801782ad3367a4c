import { toHex } from '../../encoding/hex.js';
import { fail } from '../../errors/index.js';
import { openEntry, readVerifiedEntry } from '../../ledger/entry.js';
import type { LoadedTrustedRoot } from '../trusted-root.js';
import { checkedChain, type CheckedChain, type IndexedEntry } from '../checked-chain.js';
import { assertEntrySignedWithin, exportBoundKeys, type KeyPeriod } from '../key-periods.js';
import { assertSliceLength, brokenLink, duplicateEvent, eventKey, notTheHead } from '../slice-linker.js';
import { verifyHeadProof } from '../slice.js';
import type { BatchResult, Job, RecordFailure } from './batch.js';
import { firstRepeatedEvent } from './event-table.js';
import { VerifyPool, lower, type JobResults, type ParallelOptions } from './pool.js';
import { packRecords, recordAt, recordCount, type SharedRecords } from './shared.js';
import type { StreamedChain } from './stream.js';

/** The did:key ids of a root's keys, which a worker rebuilds its TrustedKeys from. */
export const trustedIds = (root: LoadedTrustedRoot): string[] => root.noteKeys.map((k) => k.publicKey.id);

/** What the parallel verifiers take beside ParallelOptions. */
export interface SliceOptions extends ParallelOptions {
  /** Used, not closed; else the call makes (and closes) a pool of its own. */
  readonly pool?: VerifyPool;
  /** Line i proves entry i in the tree of the head's checkpoint; checked beside the entry it proves. */
  readonly inclusion?: readonly Uint8Array[];
}

/** A chain verified on workers, with the failures that rank after the chain's own verdict. */
export interface ParallelChain extends CheckedChain {
  /** The lowest entry whose proof line failed (only when proof lines were given). */
  readonly inclusionFailure?: Error;
  /** The lowest entry signed outside its key's period (only when periods were given). */
  readonly periodFailure?: Error;
}

/** Options of verifyRecordsParallel, where the records already lie in shared memory. */
export interface RecordsOptions extends Omit<SliceOptions, 'inclusion'> {
  readonly inclusion?: SharedRecords;
  readonly periods?: { readonly byKey: ReadonlyMap<string, KeyPeriod>; readonly exported: string };
  /** The chain pass already under way while these records streamed in (used when it ran on exactly them). */
  readonly started?: StreamedChain;
}

const toError = (f: RecordFailure): Error => fail(f.code, f.message, f.field);
const lowestOf = (rs: readonly (BatchResult | undefined)[], pick: (r: BatchResult) => RecordFailure | undefined): Error | undefined => {
  const f = rs.reduce<RecordFailure | undefined>((a, r) => (r === undefined ? a : lower(a, pick(r))), undefined);
  return f === undefined ? undefined : toError(f);
};

/**
 * verifySlice with the signatures checked on worker threads, for records in shared memory:
 * the same checks, and the same first failure, as one thread walking the entries in order.
 * Workers open and link the entries of their batch; this thread links the batches, finds
 * the first repeated event among the entries before the first failure, and reports whichever
 * comes first in the sequential order. Proof and period failures are returned, not thrown.
 */
export async function verifyRecordsParallel(chain: SharedRecords, headProof: unknown, root: LoadedTrustedRoot, opts: RecordsOptions = {}): Promise<ParallelChain> {
  const head = verifyHeadProof(headProof, root);
  const n = recordCount(chain);
  assertSliceLength(head, n);
  const cp = head.checkpoint;
  const proofs = opts.inclusion === undefined ? undefined : { ...opts.inclusion, size: Number(cp.size), root: cp.root };
  const given = opts.started;
  // The head start counts only if it ran the batches this call would: same records, head, keys and periods.
  const started = given !== undefined && given.job.chain === chain && given.job.chainId === head.chain && given.matches(root) && (given.job.periods === undefined) === (opts.periods === undefined) ? given : undefined;
  const job: Job = started?.job ?? {
    chain, chainId: head.chain,
    hashes: new Uint8Array(new SharedArrayBuffer(32 * n)),
    events: new Uint32Array(new SharedArrayBuffer(4 * n)),
    ...(proofs === undefined ? {} : { proofs }),
    ...(opts.periods === undefined ? {} : { periods: opts.periods }),
  };
  let out: JobResults;
  if (started !== undefined) {
    out = await started.results;
  } else {
    const pool = opts.pool ?? new VerifyPool(trustedIds(root), opts);
    try {
      out = await pool.run(job);
    } finally {
      if (opts.pool === undefined) await pool.close();
    }
  }
  const hexAt = (i: number): string => toHex(job.hashes.subarray(32 * i, 32 * i + 32));
  let failure = out.lowest === undefined ? undefined : toError(out.lowest);
  let stop = out.lowest?.index ?? n;
  // Did the entry at `stop` open? Then a repeated event there is reported before its link.
  let opened = out.lowest?.stage !== 'open';
  // The links across batch boundaries, which no worker saw both sides of.
  for (let s = out.batch; s < stop; s += out.batch) {
    if (out.results[s / out.batch]?.firstPrev !== hexAt(s - 1)) {
      [failure, stop, opened] = [brokenLink(s), s, true];
      break;
    }
  }
  const keyAt = (i: number): string => eventKey(readVerifiedEntry(recordAt(chain, i))) ?? '';
  const repeated = firstRepeatedEvent(job.events, Math.min(n - 1, opened ? stop : stop - 1), keyAt);
  if (repeated !== undefined) throw duplicateEvent(keyAt(repeated), repeated);
  if (failure !== undefined) throw failure;
  if (hexAt(n - 1) !== head.head) throw notTheHead();
  const notable: IndexedEntry[] = [];
  for (const r of out.results) for (const e of (r as BatchResult).notable) notable.push({ ...e, bytes: recordAt(chain, e.index) });
  // A streamed chain pass had no proof lines yet, nor the export time: both are settled now.
  const inclusionFailure = started !== undefined && proofs !== undefined
    ? lowestOf((await started.pool.run({ ...job, pass: 'inclusion', proofs })).results, (r) => r.inclusionFailure)
    : lowestOf(out.results, (r) => r.inclusionFailure);
  const periodFailure = started !== undefined && opts.periods !== undefined ? deferredPeriodFailure(out, chain, root, opts.periods) : lowestOf(out.results, (r) => r.periodFailure);
  return {
    ...checkedChain(head, n, notable, (i) => recordAt(chain, i)),
    ...(inclusionFailure === undefined ? {} : { inclusionFailure }),
    ...(periodFailure === undefined ? {} : { periodFailure }),
  };
}

/**
 * The lowest entry signed outside its key's period, from a pass that checked periods without
 * the export time: the lowest failure it found, or the first event entry signed by a key whose
 * period starts after `exported`, whichever comes first, worded as assertEntrySignedWithin
 * words it (that one entry is opened again on this thread).
 */
function deferredPeriodFailure(out: JobResults, chain: SharedRecords, root: LoadedTrustedRoot, periods: { readonly byKey: ReadonlyMap<string, KeyPeriod>; readonly exported: string }): Error | undefined {
  const bound = exportBoundKeys(periods.byKey, periods.exported);
  let at: number | undefined;
  for (const r of out.results) {
    const f = r?.periodFailure?.index;
    if (f !== undefined && (at === undefined || f < at)) at = f;
    for (const id of bound) {
      const i = r?.firstEventBy?.[id];
      if (i !== undefined && (at === undefined || i < at)) at = i;
    }
  }
  if (at === undefined) return undefined;
  const field = `/entries/${at}`;
  const e = openEntry(recordAt(chain, at), root.keys, field);
  try {
    assertEntrySignedWithin(periods.byKey, e.signedBy, e.entry, periods.exported, `${field}/time`);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`entry ${at} was found outside its key period, then inside it`);
}

/**
 * verifySlice with the signatures checked on worker threads (see verifyRecordsParallel): the
 * same verdict and first failure, for entries given one by one. The chain comes back lean
 * (CheckedChain): `count` entries, the non-usage ones parsed, the rest re-read on demand.
 */
export function verifySliceParallel(entries: readonly Uint8Array[], headProof: unknown, root: LoadedTrustedRoot, opts: SliceOptions = {}): Promise<ParallelChain> {
  const { inclusion, ...rest } = opts;
  return verifyRecordsParallel(packRecords(entries), headProof, root, { ...rest, ...(inclusion === undefined ? {} : { inclusion: packRecords(inclusion) }) });
}
