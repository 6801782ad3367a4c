import { NexusError, assertLedgerEntryV1, canonicalize, isNexusError, toHex } from '@nexus-cos/sdk';
import type { StoredEntry } from '../ports/ledger-store.js';
import { readEntry } from './read-entry.js';
import type { EntryDraft, Receipt } from './types.js';

/** Schema check of a complete entry; a refusal is the caller's bad input, named by field. */
export function checkEntry(entry: unknown, prefix: string): void {
  try {
    assertLedgerEntryV1(entry);
  } catch (e) {
    throw isNexusError(e) ? new NexusError('INPUT_INVALID', e.message, { field: `${prefix}${e.field ?? '/'}`, cause: e }) : e;
  }
}

/** Checks a draft as it will be stored, with placeholder chain fields, before any state moves. */
export function checkDraft(draft: EntryDraft, prefix: string): void {
  checkEntry({ ...draft, v: 1, seq: '0', prev: '0'.repeat(64), time: draft.time ?? '1970-01-01T00:00:00Z' }, prefix);
}

/** The draft an entry was appended from: its payload without the fields the ledger assigned. */
function draftOf(e: StoredEntry, timed: boolean): string {
  const { v: _v, seq: _s, prev: _p, time, ...rest } = readEntry(e) as Record<string, unknown>;
  return canonicalize(timed ? { ...rest, time } : rest);
}

/**
 * A retry is the same event when its draft matches what was recorded; the time the ledger
 * assigned counts only when the caller named a time (as CloudEvents do). Returns the
 * original receipt marked duplicate, or throws DUPLICATE_EVENT.
 */
export function retryReceipt(original: StoredEntry | undefined, dedupe: string, content: string, timed: boolean): Receipt {
  if (original === undefined || draftOf(original, timed) !== content) {
    throw new NexusError('DUPLICATE_EVENT', `event ${dedupe} was recorded with other content`, { field: '/id' });
  }
  return { index: original.index, chain: original.chain, seq: original.seq, hash: toHex(original.leaf), duplicate: true };
}
