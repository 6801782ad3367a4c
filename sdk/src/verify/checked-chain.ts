import { readVerifiedEntry, type OpenedEntry } from '../ledger/entry.js';
import type { ChainEntry } from '../revenue/chain.js';
import type { VerifiedHead, VerifiedSlice } from './slice.js';

/** An opened entry with its position in the chain (its seq). */
export interface IndexedEntry extends OpenedEntry {
  readonly index: number;
}

/**
 * A complete, verified chain slice, held lean. A long chain is mostly `usage` entries, which
 * after verification only a statement's recomputation reads again; a million of them kept
 * parsed cost gigabytes and the collector's time. So every other entry is kept parsed, and a
 * usage entry is re-read from its verified bytes when asked for.
 */
export interface CheckedChain {
  readonly head: VerifiedHead;
  readonly count: number;
  /** Every entry whose kind is not `usage`, and the last entry, in seq order. */
  readonly notable: readonly IndexedEntry[];
  /** Entry i (0 <= i < count): its stored bytes and the entry they carry. */
  entryAt(i: number): ChainEntry;
}

/** Whether a verifier keeps entry `index` of `count` parsed: every kind but `usage`, and the last (the head). */
export const isNotable = (e: OpenedEntry, index: number, count: number): boolean => e.entry.kind !== 'usage' || index === count - 1;

const inRange = (i: number, count: number): void => {
  if (!Number.isSafeInteger(i) || i < 0 || i >= count) throw new RangeError(`entry ${i} is outside the slice of ${count}`);
};

/** A CheckedChain over verified bytes: `notable` as opened, the rest re-read on demand. */
export function checkedChain(head: VerifiedHead, count: number, notable: readonly IndexedEntry[], bytesAt: (i: number) => Uint8Array): CheckedChain {
  const byIndex = new Map(notable.map((e) => [e.index, e]));
  return {
    head, count, notable,
    entryAt(i) {
      inRange(i, count);
      const bytes = bytesAt(i);
      return byIndex.get(i) ?? { bytes, entry: readVerifiedEntry(bytes) };
    },
  };
}

/** The CheckedChain of a slice verified on one thread, whose entries are all at hand. */
export function checkedOf(slice: VerifiedSlice): CheckedChain {
  const { entries } = slice;
  return {
    head: slice.head,
    count: entries.length,
    notable: entries.flatMap((e, index) => (isNotable(e, index, entries.length) ? [{ ...e, index }] : [])),
    entryAt(i) {
      inRange(i, entries.length);
      return entries[i] as OpenedEntry;
    },
  };
}

