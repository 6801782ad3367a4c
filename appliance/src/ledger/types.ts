import type { LedgerEntry } from '@nexus-cos/sdk';

type HeaderKeys = 'v' | 'seq' | 'prev' | 'time' | 'imvu';
type Distribute<T> = T extends unknown ? Omit<T, HeaderKeys> & { imvu: string | null; time?: string } : never;

/** What a caller appends: an entry without the fields the ledger assigns (seq, prev, v). */
export type EntryDraft = Distribute<LedgerEntry>;

/** Acknowledgement of a durable append. */
export interface Receipt {
  /** Position in the global log. */
  readonly index: number;
  readonly chain: string;
  readonly seq: number;
  /** Entry hash (RFC 6962 leaf hash, hex). */
  readonly hash: string;
  /** True when this was a retry of an event already recorded. */
  readonly duplicate: boolean;
}
