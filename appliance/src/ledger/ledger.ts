import {
  LEDGER_ENTRY_MEDIA_TYPE,
  NexusError,
  canonicalize,
  chainOf,
  encodeEntry,
  isNexusError,
  leafHash,
  sha256,
  signJsonSync,
  toHex,
  type SyncSigner,
} from '@nexus-cos/sdk';
import type { LedgerStore, StoredDocument, StoredEntry } from '../ports/ledger-store.js';
import { timestamp, type Clock } from '../ports/clock.js';
import { MerkleTree } from '../domain/ledger/merkle-tree.js';
import { ChainState } from './chain-state.js';
import { Checkpointer } from './checkpointer.js';
import { checkDraft, checkEntry, retryReceipt } from './drafts.js';
import { verifyStoredLedger } from './startup-verify.js';
import type { EntryDraft, Receipt } from './types.js';

/** How the ledger is wired: its store, the platform key, the log's origin and a clock. */
export interface LedgerOptions {
  readonly store: LedgerStore;
  readonly signer: SyncSigner;
  readonly origin: string;
  readonly clock: Clock;
  /** Sign a checkpoint once this many entries are past the last one (default 1000). */
  readonly checkpointEvery?: number;
  /**
   * ...or once this many milliseconds have passed since the last one (default 1000). This
   * bounds the unsigned tail, which no local check can protect from truncation.
   */
  readonly checkpointIntervalMs?: number;
}

interface Pending { entry: StoredEntry; documents: readonly StoredDocument[]; draft: string; resolve: (r: Receipt) => void; reject: (e: unknown) => void }

/**
 * The append-only ledger (spec/ledger.md). Appends are signed at once, batched, written
 * in one transaction per batch (group commit) and acknowledged only once durable. Any
 * storage failure fails the ledger closed (gate 5): nothing more is accepted until a
 * restart has verified the store again.
 */
export class Ledger {
  readonly origin: string;
  readonly tree: MerkleTree;
  readonly chains: ChainState;
  readonly checkpointer: Checkpointer;
  readonly #store: LedgerStore;
  readonly #signer: SyncSigner;
  readonly #clock: Clock;
  readonly #every: number;
  readonly #intervalMs: number;
  #lastCheckpointAt: number;
  #pending: Pending[] = [];
  readonly #pendingDedupe = new Map<string, Promise<Receipt>>();
  #flushing: Promise<void> | undefined;
  #failure: NexusError | undefined;
  readonly #timer: NodeJS.Timeout;

  private constructor(opts: LedgerOptions, tree: MerkleTree, chains: ChainState, checkpointer: Checkpointer) {
    this.origin = opts.origin;
    this.#store = opts.store;
    this.#signer = opts.signer;
    this.#clock = opts.clock;
    this.#every = opts.checkpointEvery ?? 1000;
    this.#intervalMs = opts.checkpointIntervalMs ?? 1000;
    this.#lastCheckpointAt = opts.clock.now().getTime();
    // At most once a minute as a timer period; setInterval overflows past 2^31 - 1 ms.
    this.#timer = setInterval(() => this.#tick(), Math.min(Math.max(this.#intervalMs, 50), 60_000)).unref();
    this.tree = tree;
    this.chains = chains;
    this.checkpointer = checkpointer;
  }

  /** Opens the ledger after verifying everything stored (gate 5); throws LEDGER_INTEGRITY. */
  static open(opts: LedgerOptions): Ledger {
    const verified = verifyStoredLedger(opts.store, opts.origin, opts.signer.publicKey);
    const checkpointer = new Checkpointer(opts.store, opts.signer, opts.origin, verified.checkpoints);
    return new Ledger(opts, verified.tree, verified.chains, checkpointer);
  }

  /** The store, for read-only proof building. */
  get store(): LedgerStore {
    return this.#store;
  }

  /** Throws the failure that closed the ledger, if any. */
  assertWritable(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /**
   * Appends one entry. `dedupe` makes it idempotent: a retry with the same key and the
   * same content returns the original receipt; different content is DUPLICATE_EVENT.
   * `documents` (signed documents the entry names by digest) commit in the same transaction.
   */
  append(draft: EntryDraft, dedupe?: string, documents: readonly StoredDocument[] = []): Promise<Receipt> {
    try {
      this.assertWritable();
      // The draft's canonical form is needed only to recognise a retry.
      const content = dedupe === undefined ? '' : canonicalize(draft);
      if (dedupe !== undefined) {
        const inFlight = this.#pendingDedupe.get(dedupe);
        if (inFlight !== undefined) return inFlight.then((r) => retryReceipt(this.#store.entry(r.index), dedupe, content, draft.time !== undefined));
        const stored = this.#store.byDedupe(dedupe);
        if (stored !== undefined) return Promise.resolve(retryReceipt(stored, dedupe, content, draft.time !== undefined));
      }
      let settle: Pick<Pending, 'resolve' | 'reject'> | undefined;
      const p = new Promise<Receipt>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // Enqueue outside the executor: a refused draft throws here, before anything (the
      // dedupe map included) records it, so it consumes no seq and blocks no retry.
      this.#enqueue(draft, content, dedupe ?? null, documents, settle as Pick<Pending, 'resolve' | 'reject'>);
      if (dedupe !== undefined) this.#pendingDedupe.set(dedupe, p);
      return p;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Appends several entries atomically: all are checked first, then enqueued together, so
   * they commit in one transaction or not at all (a decision and its notice, say). A
   * `dedupe` key here only names the entry for a later `store.byDedupe` lookup (start-up
   * uses it to learn whether an effect's entries became durable); a key already used is
   * refused before anything is enqueued.
   */
  appendMany(items: readonly { draft: EntryDraft; documents?: readonly StoredDocument[]; dedupe?: string }[]): Promise<Receipt[]> {
    try {
      this.assertWritable();
      for (const [i, { draft, dedupe }] of items.entries()) {
        checkDraft(draft, `/${i}`);
        if (dedupe !== undefined && (this.#store.byDedupe(dedupe) !== undefined || this.#pendingDedupe.has(dedupe))) {
          throw new NexusError('DUPLICATE_EVENT', `an entry keyed ${JSON.stringify(dedupe)} is already recorded`, { field: `/${i}` });
        }
      }
      return Promise.all(items.map(({ draft, documents, dedupe }) => {
        let settle: Pick<Pending, 'resolve' | 'reject'> | undefined;
        const p = new Promise<Receipt>((resolve, reject) => {
          settle = { resolve, reject };
        });
        this.#enqueue(draft, canonicalize(draft), dedupe ?? null, documents ?? [], settle as Pick<Pending, 'resolve' | 'reject'>);
        return p;
      }));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #enqueue(draft: EntryDraft, content: string, dedupe: string | null, documents: readonly StoredDocument[], { resolve, reject }: Pick<Pending, 'resolve' | 'reject'>): void {
    const chain = chainOf(draft);
    const { seq, prev } = this.chains.next(chain);
    for (const [i, d] of documents.entries()) {
      if (toHex(sha256(d.bytes)) !== d.digest) throw new NexusError('INPUT_INVALID', 'document digest does not match its bytes', { field: `/documents/${i}` });
    }
    const entry = { ...draft, v: 1, seq: String(seq), prev, time: draft.time ?? timestamp(this.#clock) };
    checkEntry(entry, '');
    const bytes = encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, entry, [this.#signer]));
    const leaf = leafHash(bytes);
    const stored: StoredEntry = { index: this.tree.size, chain, seq, leaf, bytes, dedupe };
    this.tree.append(leaf);
    this.chains.advance(chain, seq, toHex(leaf));
    this.#pending.push({ entry: stored, documents, draft: content, resolve, reject });
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushing !== undefined) return;
    this.#flushing = new Promise<void>((done) => setImmediate(() => {
      try {
        this.#flushNow();
        if (this.#checkpointDue()) this.checkpoint();
      } catch (e) {
        this.#failClosed(e);
      } finally {
        this.#flushing = undefined;
        done();
      }
      if (this.#pending.length > 0) this.#scheduleFlush();
    }));
  }

  /** Group commit: one durable transaction for everything pending, then acknowledge. */
  #flushNow(): void {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    try {
      this.#store.append({ entries: batch.map((p) => p.entry), documents: batch.flatMap((p) => p.documents) });
    } catch (cause) {
      for (const p of batch) p.reject(this.#failClosed(cause));
      return;
    } finally {
      for (const p of batch) if (p.entry.dedupe !== null) this.#pendingDedupe.delete(p.entry.dedupe);
    }
    for (const p of batch) p.resolve({ index: p.entry.index, chain: p.entry.chain, seq: p.entry.seq, hash: toHex(p.entry.leaf), duplicate: false });
  }

  #checkpointDue(): boolean {
    const unsigned = this.tree.size - this.checkpointer.latestSize;
    return unsigned > 0 && (unsigned >= this.#every || this.#clock.now().getTime() - this.#lastCheckpointAt >= this.#intervalMs);
  }

  /**
   * Closes the ledger for writing after any failure to store or to sign: the in-memory
   * tree may now hold entries the disk does not, so nothing more may be acknowledged or
   * signed until a restart has verified the store (gate 5). Returns the failure.
   */
  #failClosed(cause: unknown): NexusError {
    this.#failure ??= isNexusError(cause) && cause.code === 'LEDGER_INTEGRITY'
      ? cause
      : new NexusError('LEDGER_UNAVAILABLE', 'a ledger write failed; the ledger is closed until restart', { cause });
    const failure = this.#failure;
    const pending = this.#pending;
    this.#pending = [];
    for (const p of pending) p.reject(failure);
    return failure;
  }

  /** Waits until everything appended so far is durable. */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  /** Signs a checkpoint of the durable log now (gate 17 checks inside). */
  checkpoint(): string {
    this.assertWritable();
    if (this.#pending.length > 0) this.#flushNow();
    // The write may just have failed: never sign over entries the disk does not hold.
    this.assertWritable();
    let note: string;
    try {
      note = this.checkpointer.sign(this.tree, this.chains.heads());
    } catch (e) {
      throw this.#failClosed(e);
    }
    this.#lastCheckpointAt = this.#clock.now().getTime();
    return note;
  }

  /** Flushes, signs a final checkpoint when there is anything new, and closes the store. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    if (this.#failure === undefined && this.tree.size > this.checkpointer.latestSize) this.checkpoint();
    this.#store.close();
  }

  // The cadence also holds when no more entries arrive: an idle ledger's unsigned tail is
  // the part that truncation could remove without local evidence (spec/ledger.md §7.3).
  #tick(): void {
    if (this.#failure !== undefined || this.#flushing !== undefined || !this.#checkpointDue()) return;
    try {
      this.checkpoint();
    } catch {
      // #failClosed has recorded it; every later write reports it.
    }
  }
}
