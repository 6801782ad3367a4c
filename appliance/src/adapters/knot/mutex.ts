/**
 * One lock per key, in process. Knot allows one transaction per zone for the whole server
 * and lets a second client's zone-set silently join the first one's, so every knotc
 * sequence touching a zone runs under that zone's lock.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier holder of `key` has finished, in call order. */
  async with<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    try {
      return await fn();
    } finally {
      release();
      // Forget the key when nobody queued behind us, so the map does not grow per zone ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
