import {
  NexusError,
  bytesEqual,
  formatCheckpoint,
  formatHeadsExtension,
  noteVerifierKey,
  openCheckpoint,
  signNote,
  sortHeads,
  verifyConsistency,
  type ChainHead,
  type SyncSigner,
} from '@nexus-cos/sdk';
import type { MerkleTree } from '../domain/ledger/merkle-tree.js';
import type { LedgerStore, StoredCheckpoint } from '../ports/ledger-store.js';

/** A signed checkpoint the ledger holds; `heads` (sorted) is kept for the latest one only. */
export interface HeldCheckpoint {
  readonly size: number;
  readonly note: string;
  readonly root: Uint8Array;
  readonly heads: readonly ChainHead[];
}

/**
 * Signs checkpoints (C2SP notes) and refuses to sign two inconsistent histories (gate 17):
 * before signing size n it proves, with the ledger's own tree, that the last signed
 * checkpoint is a prefix of it, and verifies that proof as any outsider would.
 */
export class Checkpointer {
  readonly #held: HeldCheckpoint[];

  constructor(
    private readonly store: LedgerStore,
    private readonly signer: SyncSigner,
    private readonly origin: string,
    held: HeldCheckpoint[],
  ) {
    this.#held = held;
  }

  /** Tree size of the last signed checkpoint (0 when none). */
  get latestSize(): number {
    return this.latest?.size ?? 0;
  }

  get latest(): HeldCheckpoint | undefined {
    return this.#held[this.#held.length - 1];
  }

  /** The held checkpoint of exactly `size`, if one was signed. */
  at(size: number): HeldCheckpoint | undefined {
    return this.#held.find((c) => c.size === size);
  }

  /** Signs and durably stores a checkpoint of `tree` at its current size. */
  sign(tree: MerkleTree, heads: readonly ChainHead[]): string {
    const size = tree.size;
    if (size === 0) throw new NexusError('INPUT_INVALID', 'an empty ledger has nothing to checkpoint', { field: '/size' });
    const root = tree.root(size);
    const prev = this.latest;
    if (prev !== undefined) {
      if (prev.size === size) {
        if (!bytesEqual(prev.root, root)) throw new NexusError('LEDGER_INTEGRITY', `the tree at signed size ${size} has another root`, { field: '/checkpoint' });
        return prev.note;
      }
      try {
        verifyConsistency({ oldSize: prev.size, newSize: size, oldRoot: prev.root, newRoot: root, proof: tree.consistencyProof(prev.size, size) });
      } catch (cause) {
        throw new NexusError('LEDGER_INTEGRITY', `refusing to sign: size ${size} is not an extension of signed size ${prev.size}`, { cause, field: '/checkpoint' });
      }
    }
    const sorted = sortHeads(heads);
    const body = formatCheckpoint({ origin: this.origin, size: BigInt(size), root, extensions: [formatHeadsExtension(sorted)] });
    const note = signNote(body, [{ name: this.origin, signer: this.signer }]);
    const stored: StoredCheckpoint = { size, note };
    this.store.append({ entries: [], checkpoint: stored });
    // Only the latest checkpoint's heads are kept: head proofs are made against it, and
    // keeping every checkpoint's heads grows as checkpoints x chains.
    const last = this.#held[this.#held.length - 1];
    if (last !== undefined) this.#held[this.#held.length - 1] = { ...last, heads: [] };
    this.#held.push({ size, note, root, heads: sorted });
    return note;
  }

  /** Opens a stored checkpoint note with the platform key, as a verifier would. */
  static open(note: string, origin: string, signer: SyncSigner['publicKey']): { size: number; root: Uint8Array } {
    const { checkpoint } = openCheckpoint(note, { origin, trusted: [noteVerifierKey(origin, signer)] });
    return { size: Number(checkpoint.size), root: checkpoint.root };
  }
}
