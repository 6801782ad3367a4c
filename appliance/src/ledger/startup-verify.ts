import {
  NexusError,
  TrustedKeys,
  bytesEqual,
  chainOf,
  headsRoot,
  leafHash,
  noteVerifierKey,
  openCheckpoint,
  openEntry,
  parseHeadsExtension,
  sortHeads,
  toHex,
  type PublicKey,
} from '@nexus-cos/sdk';
import { MerkleTree } from '../domain/ledger/merkle-tree.js';
import type { LedgerStore, StoredEntry } from '../ports/ledger-store.js';
import { ChainState } from './chain-state.js';
import { readEntry } from './read-entry.js';
import type { HeldCheckpoint } from './checkpointer.js';

/** What start-up verification rebuilds from a store that passed. */
export interface VerifiedLedger {
  readonly tree: MerkleTree;
  readonly chains: ChainState;
  readonly checkpoints: HeldCheckpoint[];
}

const broken = (message: string, field: string, cause?: unknown): NexusError =>
  new NexusError('LEDGER_INTEGRITY', `ledger integrity (gate 5): ${message}`, cause === undefined ? { field } : { field, cause });

/** chain, seq and prev of stored entry bytes, read without verifying (the caller decides). */
function header(e: StoredEntry): { chain: string; seq: string; prev: string } {
  try {
    const p = readEntry(e);
    return { chain: chainOf(p), seq: p.seq, prev: p.prev };
  } catch (cause) {
    throw broken(`entry ${e.index} is not a readable envelope`, `/entries/${e.index}`, cause);
  }
}

/**
 * Gate 5 at start-up: every stored byte is checked before the ledger accepts a write.
 * Entries are contiguous and rehashed; chains are contiguous and linked; every signed
 * checkpoint verifies and matches the root and heads recomputed from the entries; entries
 * past the last checkpoint have their signatures verified. When a checkpointed root does
 * not match, each entry's signature is checked to name the one that changed.
 */
export function verifyStoredLedger(store: LedgerStore, origin: string, platformKey: PublicKey): VerifiedLedger {
  const trusted = new TrustedKeys([platformKey]);
  const noteKeys = [noteVerifierKey(origin, platformKey)];
  const signed = store.checkpoints().map((c) => {
    try {
      const { checkpoint } = openCheckpoint(c.note, { origin, trusted: noteKeys });
      if (checkpoint.size !== BigInt(c.size)) throw broken('checkpoint size column differs from its note', `/checkpoints/${c.size}`);
      const heads = parseHeadsExtension(checkpoint.extensions);
      return { size: c.size, note: c.note, root: checkpoint.root, headsRoot: heads.root, headsCount: heads.count };
    } catch (cause) {
      throw broken(`checkpoint at size ${c.size} does not verify`, `/checkpoints/${c.size}`, cause);
    }
  });
  const lastSigned = signed[signed.length - 1]?.size ?? 0;
  const tree = new MerkleTree();
  const chains = new ChainState();
  const held: HeldCheckpoint[] = [];
  let next = 0;
  let cp = 0;
  for (const e of store.scan()) {
    const field = `/entries/${next}`;
    if (e.index !== next) throw broken(`entry ${next} is missing`, field);
    const leaf = leafHash(e.bytes);
    if (!bytesEqual(leaf, e.leaf)) throw broken(`entry ${e.index} does not hash to its recorded leaf`, field);
    const h = header(e);
    const want = chains.next(h.chain);
    if (h.chain !== e.chain || h.seq !== String(e.seq) || e.seq !== want.seq || h.prev !== want.prev) {
      throw broken(`entry ${e.index} breaks chain ${h.chain} at seq ${h.seq}`, field);
    }
    if (e.index >= lastSigned) {
      try {
        openEntry(e.bytes, trusted, field);
      } catch (cause) {
        throw broken(`entry ${e.index} has no valid platform signature`, field, cause);
      }
    }
    tree.append(leaf);
    chains.advance(h.chain, e.seq, toHex(leaf));
    next++;
    while (cp < signed.length && (signed[cp] as { size: number }).size === tree.size) {
      const s = signed[cp] as (typeof signed)[number];
      const heads = sortHeads(chains.heads());
      if (!bytesEqual(tree.root(), s.root) || !bytesEqual(headsRoot(heads), s.headsRoot) || heads.length !== s.headsCount) {
        throw culprit(store, trusted, held[held.length - 1]?.size ?? 0, s.size);
      }
      const last = held[held.length - 1];
      if (last !== undefined) held[held.length - 1] = { ...last, heads: [] }; // latest only, as Checkpointer keeps them
      held.push({ size: s.size, note: s.note, root: s.root, heads });
      cp++;
    }
  }
  if (cp < signed.length) throw broken(`a checkpoint commits ${(signed[cp] as { size: number }).size} entries but ${next} are stored`, `/entries/${next}`);
  return { tree, chains, checkpoints: held };
}

/** Names the first entry in [from, to) whose signature fails; else blames the range. */
function culprit(store: LedgerStore, trusted: TrustedKeys, from: number, to: number): NexusError {
  for (let i = from; i < to; i++) {
    const e = store.entry(i);
    try {
      if (e === undefined) throw new Error('missing');
      openEntry(e.bytes, trusted, `/entries/${i}`);
    } catch (cause) {
      return broken(`entry ${i} was changed after it was signed`, `/entries/${i}`, cause);
    }
  }
  return broken(`entries ${from}..${to - 1} do not match the checkpoint at size ${to}`, `/checkpoints/${to}`);
}
