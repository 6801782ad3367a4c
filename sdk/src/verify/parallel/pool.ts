import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fail } from '../../errors/index.js';
import type { OpenedEntry } from '../../ledger/entry.js';
import type { Batch, BatchResult, EntryFailure } from './batch.js';

/** How to spread entry opening over threads. */
export interface ParallelOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly threads?: number;
  /** Entries per batch; big enough that a message costs little beside ~1000 verifications. */
  readonly batch?: number;
}

/** The opened prefix of a slice, up to (excluding) its lowest failing entry, and that failure. */
export interface OpenedPrefix {
  readonly opened: OpenedEntry[];
  readonly failure?: Error;
}

// Resolved through the package's own exports map, so it finds dist/verify/worker.js from any
// chunk tsup put this code in (and from the sources under tsx, once the SDK is built).
const WORKER_URL = (): URL => new URL(import.meta.resolve('@nexus-cos/sdk/verify-worker'));

/** One worker with its pending batches by id. */
class Lane {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();

  constructor(keys: readonly string[]) {
    // Plain node: the worker is compiled JS and needs none of the parent's loaders (tsx, coverage).
    this.#worker = new Worker(WORKER_URL(), { workerData: { keys }, execArgv: [] });
    this.#worker.on('message', (r: BatchResult) => {
      this.#pending.get(r.id)?.resolve(r);
      this.#pending.delete(r.id);
    });
    this.#worker.on('error', (e) => this.#failAll(e));
    this.#worker.on('exit', () => this.#failAll(new Error('verify worker exited')));
  }

  run(b: Batch): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      this.#pending.set(b.id, { resolve, reject });
      this.#worker.postMessage(b);
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #failAll(e: Error): void {
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}

function batchOf(entries: readonly Uint8Array[], id: number, base: number, count: number): Batch {
  const ends = new Uint32Array(count);
  let size = 0;
  for (let j = 0; j < count; j++) ends[j] = size += (entries[base + j] as Uint8Array).length;
  const bytes = new Uint8Array(size);
  for (let j = 0, at = 0; j < count; at = ends[j] as number, j++) bytes.set(entries[base + j] as Uint8Array, at);
  return { id, base, bytes, ends };
}

const toError = (f: EntryFailure): Error => fail(f.code, f.message, f.field);

/**
 * Opens every entry (signature first, then payload, as openEntry does) on worker threads,
 * in batches, two in flight per worker so none waits on the main thread. Batches finish
 * out of order; the result is always the prefix before the LOWEST failing index, so it is
 * exactly what opening them one by one would have reached. Batches wholly after a known
 * failure are not sent.
 */
export async function openEntriesParallel(entries: readonly Uint8Array[], keys: readonly string[], opts: ParallelOptions = {}): Promise<OpenedPrefix> {
  const size = Math.max(1, opts.batch ?? 1024);
  const count = Math.ceil(entries.length / size);
  const lanes = Array.from({ length: Math.max(1, Math.min(opts.threads ?? availableParallelism(), count)) }, () => new Lane(keys));
  const results: BatchResult[] = new Array<BatchResult>(count);
  let lowest: EntryFailure | undefined;
  let next = 0;
  const drive = async (lane: Lane): Promise<void> => {
    for (let id = next++; id < count; id = next++) {
      if (lowest !== undefined && id * size > lowest.index) return;
      const r = await lane.run(batchOf(entries, id, id * size, Math.min(size, entries.length - id * size)));
      results[id] = r;
      if (r.failure !== undefined && (lowest === undefined || r.failure.index < lowest.index)) lowest = r.failure;
    }
  };
  try {
    await Promise.all(lanes.flatMap((lane) => [drive(lane), drive(lane)]));
  } finally {
    await Promise.all(lanes.map((l) => l.close()));
  }
  const opened: OpenedEntry[] = [];
  const stop = lowest?.index ?? entries.length;
  for (let id = 0; id * size < stop; id++) {
    for (const [j, e] of (results[id] as BatchResult).opened.entries()) {
      const i = id * size + j;
      if (i >= stop) break;
      opened.push({ bytes: entries[i] as Uint8Array, hash: e.hash, entry: e.entry, signedBy: e.signedBy });
    }
  }
  return lowest === undefined ? { opened } : { opened, failure: toError(lowest) };
}
