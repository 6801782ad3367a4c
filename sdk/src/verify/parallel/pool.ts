import { availableParallelism } from 'node:os';
import { fail } from '../../errors/index.js';
import type { OpenedEntry } from '../../ledger/entry.js';
import type { Batch, BatchResult, RecordFailure } from './batch.js';
import { Lane } from './lane.js';

/** How to spread verification over threads. */
export interface ParallelOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly threads?: number;
  /** Records per batch; big enough that a message costs little beside ~1000 verifications. */
  readonly batch?: number;
}

/** The opened prefix of a slice, up to (excluding) its lowest failing entry, and that failure. */
export interface OpenedPrefix {
  readonly opened: OpenedEntry[];
  readonly failure?: Error;
  /** The lowest-numbered proof line that failed, among the entries opened; only when proofs were given. */
  readonly inclusionFailure?: Error;
}

/** Inclusion-proof lines, line i proving entry i, in the tree (size, root). */
export interface ProofLines {
  readonly lines: readonly Uint8Array[];
  readonly size: number;
  readonly root: Uint8Array;
}

/** Records back to back with their end offsets, the shape a batch carries. */
function packed(records: readonly Uint8Array[], base: number, count: number): { bytes: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(count);
  let size = 0;
  for (let j = 0; j < count; j++) ends[j] = size += (records[base + j] as Uint8Array).length;
  const bytes = new Uint8Array(size);
  for (let j = 0, at = 0; j < count; at = ends[j] as number, j++) bytes.set(records[base + j] as Uint8Array, at);
  return { bytes, ends };
}

const toError = (f: RecordFailure): Error => fail(f.code, f.message, f.field);

/**
 * A pool of verify workers (os.availableParallelism() by default) that checks records in
 * batches, two in flight per worker so none waits on the main thread. Batches finish out of
 * order; every answer is reduced to the LOWEST failing index, so the verdict is exactly what
 * checking the records one by one would reach. Batches wholly after a known failure are not sent.
 */
export class VerifyPool {
  readonly #lanes: Lane[];
  readonly #size: number;

  /** `keys`: did:key ids of the trusted keys entries must be signed by. */
  constructor(keys: readonly string[], opts: ParallelOptions = {}) {
    this.#size = Math.max(1, opts.batch ?? 1024);
    this.#lanes = Array.from({ length: Math.max(1, opts.threads ?? availableParallelism()) }, () => new Lane(keys));
  }

  /**
   * Opens every entry (signature first, then payload, as openEntry does); the prefix before
   * the first failure. With `proofs`, each opened entry's proof line is checked in the same pass.
   */
  async openEntries(entries: readonly Uint8Array[], proofs?: ProofLines): Promise<OpenedPrefix> {
    const { results, lowest, lowestInclusion } = await this.#run(entries.length, (id, base, count) => ({
      id, base, ...packed(entries, base, count),
      ...(proofs === undefined ? {} : { proofs: { ...packed(proofs.lines, base, count), size: proofs.size, root: proofs.root } }),
    }));
    const stop = lowest?.index ?? entries.length;
    const opened: OpenedEntry[] = [];
    for (let id = 0; id * this.#size < stop; id++) {
      for (const [j, e] of (results[id] as BatchResult).opened.entries()) {
        const i = id * this.#size + j;
        if (i >= stop) break;
        opened.push({ bytes: entries[i] as Uint8Array, hash: e.hash, entry: e.entry, signedBy: e.signedBy });
      }
    }
    return {
      opened,
      ...(lowest === undefined ? {} : { failure: toError(lowest) }),
      ...(lowestInclusion === undefined ? {} : { inclusionFailure: toError(lowestInclusion) }),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((l) => l.close()));
  }

  async #run(total: number, make: (id: number, base: number, count: number) => Batch): Promise<{ results: BatchResult[]; lowest?: RecordFailure; lowestInclusion?: RecordFailure }> {
    const size = this.#size;
    const count = Math.ceil(total / size);
    const results = new Array<BatchResult>(count);
    let lowest: RecordFailure | undefined;
    let lowestInclusion: RecordFailure | undefined;
    const lower = (a: RecordFailure | undefined, b: RecordFailure | undefined): RecordFailure | undefined => (b !== undefined && (a === undefined || b.index < a.index) ? b : a);
    let next = 0;
    const drive = async (lane: Lane): Promise<void> => {
      for (let id = next++; id < count; id = next++) {
        if (lowest !== undefined && id * size > lowest.index) return;
        const r = await lane.run(make(id, id * size, Math.min(size, total - id * size)));
        results[id] = r;
        lowest = lower(lowest, r.failure);
        lowestInclusion = lower(lowestInclusion, r.inclusionFailure);
      }
    };
    await Promise.all(this.#lanes.flatMap((lane) => [drive(lane), drive(lane)]));
    return { results, ...(lowest === undefined ? {} : { lowest }), ...(lowestInclusion === undefined ? {} : { lowestInclusion }) };
  }
}
