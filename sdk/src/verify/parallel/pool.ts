import { availableParallelism } from 'node:os';
import type { Batch, BatchResult, Job, RecordFailure } from './batch.js';
import { Lane } from './lane.js';
import { recordCount } from './shared.js';

/** How to spread verification over threads. */
export interface ParallelOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly threads?: number;
  /** Records per batch; big enough that a message costs little beside ~1000 verifications. */
  readonly batch?: number;
}

/** Every batch's answer, by batch id (absent for batches never sent), and the lowest chain failure. */
export interface JobResults {
  readonly batch: number;
  readonly results: readonly (BatchResult | undefined)[];
  readonly lowest?: NonNullable<BatchResult['failure']>;
}

/** Entries that arrive over time (a chain still streaming in): `until(n)` settles true once the first n are in place, false if they never will be. */
export interface Arrivals {
  until(count: number): Promise<boolean>;
}

/** The lower-indexed of two failures. */
export const lower = <F extends RecordFailure>(a: F | undefined, b: F | undefined): F | undefined => (b !== undefined && (a === undefined || b.index < a.index) ? b : a);

/**
 * A pool of verify workers (os.availableParallelism() by default) that runs a job in batches,
 * two in flight per worker so none waits on the main thread. Batches finish out of order;
 * batches wholly after a known failure are not sent, since none of their entries can decide
 * the verdict.
 */
export class VerifyPool {
  readonly #lanes: Lane[];
  readonly #size: number;

  /** `keys`: did:key ids of the trusted keys entries must be signed by. */
  constructor(keys: readonly string[], opts: ParallelOptions = {}) {
    this.#size = Math.max(1, opts.batch ?? 1024);
    this.#lanes = Array.from({ length: Math.max(1, opts.threads ?? availableParallelism()) }, () => new Lane(keys));
  }

  /** Runs every batch of `job`; with `arrivals`, each batch once its entries are in place (a batch that never fills is not sent). */
  async run(job: Job, arrivals?: Arrivals): Promise<JobResults> {
    const size = this.#size;
    const total = recordCount(job.chain);
    const count = Math.ceil(total / size);
    const results = new Array<BatchResult | undefined>(count).fill(undefined);
    let lowest: JobResults['lowest'];
    let next = 0;
    const drive = async (lane: Lane): Promise<void> => {
      for (let id = next++; id < count; id = next++) {
        if (lowest !== undefined && id * size > lowest.index) return;
        const b: Batch = { id, base: id * size, count: Math.min(size, total - id * size), job };
        if (arrivals !== undefined && !(await arrivals.until(b.base + b.count))) return;
        const r = await lane.run(b);
        results[id] = r;
        lowest = lower(lowest, r.failure);
      }
    };
    await Promise.all(this.#lanes.flatMap((lane) => [drive(lane), drive(lane)]));
    return { batch: size, results, ...(lowest === undefined ? {} : { lowest }) };
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((l) => l.close()));
  }
}
