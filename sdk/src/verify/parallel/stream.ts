import type { VerifiedHead } from '../slice.js';
import type { LoadedTrustedRoot } from '../trusted-root.js';
import type { Job } from './batch.js';
import { VerifyPool, type Arrivals, type JobResults, type ParallelOptions } from './pool.js';
import type { SharedRecords } from './shared.js';
import { trustedIds } from './slice.js';

/**
 * A chain checked on worker threads while it is still being read: its member's bytes land in
 * shared memory as the archive streams, and each batch is sent once its lines are complete,
 * so reading the rest of the archive overlaps with verification instead of preceding it.
 *
 * It is only a head start, never a verdict: the batches are exactly those the parallel
 * verifier would send for the same bytes, head and root (key periods are checked without the
 * export time, which only the manifest at the archive's end states; the rest is settled
 * then). verifyRecordsParallel uses the results once the whole member has arrived as the
 * lines the head commits; in any other case they are dropped and the chain is checked as usual.
 */
export class StreamedChain implements Arrivals {
  readonly job: Job;
  readonly pool: VerifyPool;
  readonly results: Promise<JobResults>;
  readonly #bytes: Buffer;
  /** The trusted keys and periods the batches were checked against (see matches). */
  readonly #trust: string;
  readonly #ends: Float64Array;
  #lines = 0;
  #scanned = 0;
  #ended = false;
  #overflow = false;
  #waiting: { count: number; resolve: (ready: boolean) => void }[] = [];

  /**
   * Starts checking the chain member whose bytes will fill `bytes` (shared memory, its full
   * declared size), committed by `head`; undefined when the head cannot describe those bytes
   * (more entries than the member could hold as lines).
   */
  static start(bytes: Uint8Array, head: VerifiedHead, root: LoadedTrustedRoot, opts: ParallelOptions = {}): StreamedChain | undefined {
    const n = Number(head.seq) + 1;
    // Each line is at least one byte and its newline: no honest head commits more.
    if (!(bytes.buffer instanceof SharedArrayBuffer) || !Number.isSafeInteger(n) || 2 * n > bytes.length) return undefined;
    return new StreamedChain(bytes, head, root, n, opts);
  }

  private constructor(bytes: Uint8Array, head: VerifiedHead, root: LoadedTrustedRoot, n: number, opts: ParallelOptions) {
    this.#bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    this.#ends = new Float64Array(new SharedArrayBuffer(8 * n));
    this.#trust = trustOf(root);
    this.job = {
      chain: { bytes, ends: this.#ends, gap: 1 },
      chainId: head.chain,
      hashes: new Uint8Array(new SharedArrayBuffer(32 * n)),
      events: new Uint32Array(new SharedArrayBuffer(4 * n)),
      ...(root.periods.size === 0 ? {} : { periods: { byKey: root.periods } }),
    };
    this.pool = new VerifyPool(trustedIds(root), opts);
    this.results = this.pool.run(this.job, this);
    // A stream abandoned midway (the archive failed) terminates the workers, which rejects this.
    this.results.catch(() => undefined);
  }

  /** The member's bytes up to `filled` have arrived: finds the lines they complete. */
  feed(filled: number): void {
    if (this.#overflow) return;
    // Only up to `filled`: the rest of the array is not written yet (and a search of it would be quadratic).
    const b = this.#bytes.subarray(0, filled);
    for (let i = b.indexOf(10, this.#scanned); i !== -1; i = b.indexOf(10, i + 1)) {
      if (this.#lines === this.#ends.length) {
        // More lines than the head commits: the chain fails its length check; stop here.
        this.#overflow = true;
        this.#settle();
        return;
      }
      this.#ends[this.#lines++] = i;
    }
    this.#scanned = Math.max(this.#scanned, filled);
    this.#settle();
  }

  /** No more bytes will come. */
  end(): void {
    this.#ended = true;
    this.#settle();
  }

  until(count: number): Promise<boolean> {
    const r = this.#ready(count);
    if (r !== undefined) return Promise.resolve(r);
    return new Promise((resolve) => this.#waiting.push({ count, resolve }));
  }

  /**
   * The records as lineRecords reads them from the complete member, when it holds exactly the
   * committed number of newline-terminated lines (the only case the results can be used in).
   */
  records(): SharedRecords | undefined {
    const n = this.#ends.length;
    return this.#ended && !this.#overflow && this.#lines === n && this.#ends[n - 1] === this.#bytes.length - 1 ? this.job.chain : undefined;
  }

  /** True when `root` has the keys and periods this pass checked entries against. */
  matches(root: LoadedTrustedRoot): boolean {
    return trustOf(root) === this.#trust;
  }

  async close(): Promise<void> {
    this.#ended = true;
    this.#settle();
    await this.pool.close();
  }

  /** True once `count` lines are in, false once they never will be, else undefined. */
  #ready(count: number): boolean | undefined {
    if (this.#overflow) return false;
    if (this.#lines >= count) return true;
    return this.#ended ? false : undefined;
  }

  #settle(): void {
    this.#waiting = this.#waiting.filter((w) => {
      const r = this.#ready(w.count);
      if (r !== undefined) w.resolve(r);
      return r === undefined;
    });
  }
}

/** A root's keys and their periods, as one comparable text. */
const trustOf = (root: LoadedTrustedRoot): string => JSON.stringify([trustedIds(root), [...root.periods]]);
