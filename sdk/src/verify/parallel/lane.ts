import { Worker } from 'node:worker_threads';
import type { Batch, BatchResult } from './batch.js';

// Resolved through the package's own exports map, so it finds dist/verify/worker.js from any
// chunk tsup put this code in (and from the sources under tsx, once the SDK is built).
const WORKER_URL = (): URL => new URL(import.meta.resolve('@nexus-cos/sdk/verify-worker'));

/** One worker thread with its pending batches by id. */
export class Lane {
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
