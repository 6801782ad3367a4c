import { GENESIS_PREV, type ChainHead } from '@nexus-cos/sdk';

/** The next seq and the head hash of every chain, as of the last appended entry. */
export class ChainState {
  readonly #heads = new Map<string, { seq: number; hash: string }>();

  /** seq and prev for the next entry of `chain`. */
  next(chain: string): { seq: number; prev: string } {
    const h = this.#heads.get(chain);
    return h === undefined ? { seq: 0, prev: GENESIS_PREV } : { seq: h.seq + 1, prev: h.hash };
  }

  advance(chain: string, seq: number, hash: string): void {
    this.#heads.set(chain, { seq, hash });
  }

  /** Every chain's head, for a checkpoint. */
  heads(): ChainHead[] {
    return [...this.#heads].map(([chain, h]) => ({ chain, seq: String(h.seq), head: h.hash }));
  }

  head(chain: string): { seq: number; hash: string } | undefined {
    return this.#heads.get(chain);
  }
}
