import { storesMessage } from '@nexus-cos/sdk';
import type { LedgerStore } from '../ports/ledger-store.js';
import { readEntry } from '../ledger/read-entry.js';

/** Counts of `<sha256>/<size>` per mailbox. */
type Counts = Map<string, Map<string, number>>;

const add = (c: Counts, box: string, k: string): void => {
  const m = c.get(box) ?? new Map<string, number>();
  m.set(k, (m.get(k) ?? 0) + 1);
  c.set(box, m);
};

const takeOne = (c: Counts, box: string, k: string): boolean => {
  const n = c.get(box)?.get(k) ?? 0;
  if (n > 0) c.get(box)?.set(k, n - 1);
  return n > 0;
};

/**
 * Which frozen messages belong to an export pinned at chain seq `anchorSeq`. The ledger is
 * proved up to the anchor, but mailboxes are frozen later, so mail delivered in between is
 * in the Maildir while its `mail` entry is past the anchor: such a message is left for the
 * next export. A message no entry records at all is kept, so the verifier reports it.
 */
export class MailAtAnchor {
  readonly #upTo: Counts = new Map();
  readonly #after: Counts = new Map();

  constructor(store: Pick<LedgerStore, 'chain'>, imvu: string, anchorSeq: number) {
    for (const e of store.chain(imvu, 0, Number.MAX_SAFE_INTEGER)) {
      const entry = readEntry(e);
      if (!storesMessage(entry)) continue;
      add(Number(entry.seq) <= anchorSeq ? this.#upTo : this.#after, entry.mailbox, `${entry.message}/${entry.size}`);
    }
  }

  /** False only for a message recorded after the anchor and not before it. */
  belongs(mailbox: string, sha256: string, size: number): boolean {
    const k = `${sha256}/${size}`;
    return takeOne(this.#upTo, mailbox, k) || !takeOne(this.#after, mailbox, k);
  }
}
