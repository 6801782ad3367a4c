import { fail } from '../errors/index.js';
import { chainOf, type OpenedEntry } from '../ledger/entry.js';
import { GENESIS_PREV } from '../schemas/ledger.js';
import type { VerifiedHead } from './slice.js';

/** The committed head fixes the slice's length: seq 0 up to the head's seq. */
export function assertSliceLength(head: VerifiedHead, count: number): void {
  if (BigInt(count) !== head.seq + 1n) {
    throw fail('SLICE_INCOMPLETE', `the committed head is seq ${head.seq}, but ${count} entries were given`, '/entries');
  }
}

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
    const field = `/entries/${i}`;
    // The ledger records an event once (idempotency on its identity); a slice that holds
    // one twice would bill twice, so the offline check refuses it too.
    const key = e.entry.kind === 'usage' ? `usage ${e.entry.source} ${e.entry.id}` : e.entry.kind === 'revenue' ? `revenue ${e.entry.id}` : undefined;
    if (key !== undefined) {
      if (this.#events.has(key)) throw fail('DUPLICATE_EVENT', `event ${key} appears twice`, `${field}/id`);
      this.#events.add(key);
    }
    if (chainOf(e.entry) !== this.#head.chain) throw fail('SLICE_INCOMPLETE', `entry belongs to ${chainOf(e.entry)}`, field);
    if (e.entry.seq !== String(i)) throw fail('SLICE_INCOMPLETE', `expected seq ${i}`, `${field}/seq`);
    if (e.entry.prev !== this.#prev) throw fail('SLICE_INCOMPLETE', 'prev does not link to the previous entry', `${field}/prev`);
    this.#prev = e.hash;
    return e;
  }

  /** After the last entry: it must be the committed head. */
  finish(): void {
    if (this.#prev !== this.#head.head) throw fail('SLICE_INCOMPLETE', 'the last entry is not the committed head', '/entries');
  }
}
