/** One stored ledger entry: where it sits in the log and in its chain, and its exact bytes. */
export interface StoredEntry {
  /** Position in the global log, from 0, contiguous. */
  readonly index: number;
  /** IMVU id, or `platform`. */
  readonly chain: string;
  readonly seq: number;
  /** RFC 6962 leaf hash of `bytes`, kept so start-up can compare before it rehashes. */
  readonly leaf: Uint8Array;
  /** The canonical JSON of the signed envelope, exactly as signed. */
  readonly bytes: Uint8Array;
  /** Idempotency key, e.g. `usage <source> <id>`, or null. */
  readonly dedupe: string | null;
}

/** A signed checkpoint as stored: the tree size it commits and the note text. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly note: string;
}

/** A signed document an entry names by digest (a rate card, a revenue report, a statement). */
export interface StoredDocument {
  /** SHA-256 of `bytes`, hex. */
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

/** What one durable transaction writes. */
export interface StoreBatch {
  readonly entries: readonly StoredEntry[];
  readonly documents?: readonly StoredDocument[];
  readonly checkpoint?: StoredCheckpoint;
}

/**
 * Append-only storage for the ledger. Implementations refuse to change or remove what
 * they hold, and `append` returns only once the batch is durable (fsync), atomically:
 * all of it or none of it.
 */
export interface LedgerStore {
  append(batch: StoreBatch): void;
  count(): number;
  /** Every entry in index order, for start-up verification. */
  scan(): Iterable<StoredEntry>;
  entry(index: number): StoredEntry | undefined;
  /** Entries of one chain with seq in [fromSeq, toSeq], in seq order. */
  chain(chain: string, fromSeq: number, toSeq: number): StoredEntry[];
  /** The log indexes of those entries, in seq order, without their bytes (an export's proof file needs only these). */
  chainIndexes(chain: string, fromSeq: number, toSeq: number): number[];
  byDedupe(key: string): StoredEntry | undefined;
  checkpoints(): StoredCheckpoint[];
  document(digest: string): StoredDocument | undefined;
  close(): void;
}
