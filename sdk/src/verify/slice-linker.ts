import { fail, type NexusError } from '../errors/index.js';
import { chainOf, type OpenedEntry } from '../ledger/entry.js';
import { GENESIS_PREV, type LedgerEntry } from '../schemas/ledger.js';
import type { VerifiedHead } from './slice.js';

/** The committed head fixes the slice's length: seq 0 up to the head's seq. */
export function assertSliceLength(head: VerifiedHead, count: number): void {
  if (BigInt(count) !== head.seq + 1n) {
    throw fail('SLICE_INCOMPLETE', `the committed head is seq ${head.seq}, but ${count} entries were given`, '/entries');
  }
}

/**
 * The identity under which the ledger records an event once (idempotency): a slice that
 * holds one twice would bill twice, so the offline check refuses it too. Undefined for
 * entries that record no event.
 */
export function eventKey(entry: LedgerEntry): string | undefined {
  return entry.kind === 'usage' ? `usage ${entry.source} ${entry.id}` : entry.kind === 'revenue' ? `revenue ${entry.id}` : undefined;
}

export const duplicateEvent = (key: string, i: number): NexusError => fail('DUPLICATE_EVENT', `event ${key} appears twice`, `/entries/${i}/id`);

/**
 * Why entry `i` (opened) does not link into `chain`, checked in this order: it belongs to
 * another chain, its seq is not i, its prev is not `prev` (skipped when `prev` is undefined:
 * a caller that links that boundary itself). Undefined when it links.
 */
export function linkFailure(entry: LedgerEntry, i: number, chain: string, prev: string | undefined): NexusError | undefined {
  const field = `/entries/${i}`;
  if (chainOf(entry) !== chain) return fail('SLICE_INCOMPLETE', `entry belongs to ${chainOf(entry)}`, field);
  if (entry.seq !== String(i)) return fail('SLICE_INCOMPLETE', `expected seq ${i}`, `${field}/seq`);
  if (prev !== undefined && entry.prev !== prev) return brokenLink(i);
  return undefined;
}

export const brokenLink = (i: number): NexusError => fail('SLICE_INCOMPLETE', 'prev does not link to the previous entry', `/entries/${i}/prev`);

/** The error for a slice whose last entry is not the committed head. */
export const notTheHead = (): NexusError => fail('SLICE_INCOMPLETE', 'the last entry is not the committed head', '/entries');

/**
 * Links opened (signature-verified) entries in seq order into one complete chain: each
 * belongs to the head's chain, has seq = its position and prev = the previous entry's hash,
 * records no event twice, and the last is the committed head. Sequential and parallel
 * verification both link through this, so they report the same first failure.
 */
export class SliceLinker {
  readonly #head: VerifiedHead;
  #prev = GENESIS_PREV;
  #next = 0;
  readonly #events = new Set<string>();

  constructor(head: VerifiedHead) {
    this.#head = head;
  }

  /** Links entry number `next`; throws its coded failure. */
  add(e: OpenedEntry): OpenedEntry {
    const i = this.#next++;
    const key = eventKey(e.entry);
    if (key !== undefined) {
      if (this.#events.has(key)) throw duplicateEvent(key, i);
      this.#events.add(key);
    }
    const broken = linkFailure(e.entry, i, this.#head.chain, this.#prev);
    if (broken !== undefined) throw broken;
    this.#prev = e.hash;
    return e;
  }

  /** After the last entry: it must be the committed head. */
  finish(): void {
    if (this.#prev !== this.#head.head) throw notTheHead();
  }
}
