/**
 * A 32-bit FNV-1a fingerprint of an event key, never 0 (0 marks "no event"). Workers write
 * one per entry into shared memory, so the main thread deduplicates a million events without
 * holding a million strings; equal fingerprints are only candidates, compared by their keys.
 */
export function fingerprint(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

/**
 * The lowest index i <= `last` whose event repeats one at a lower index, or undefined: where a
 * linker walking the entries in order would meet its first repeated event. `events[i]` is
 * entry i's fingerprint (0 for none); `keyAt(i)` re-reads entry i's exact key, asked only when
 * fingerprints collide (about n^2 / 2^33 times for n events, so ~100 re-reads at 10^6).
 */
export function firstRepeatedEvent(events: Uint32Array, last: number, keyAt: (i: number) => string): number | undefined {
  let slots = 16;
  while (slots < 2 * (last + 1)) slots *= 2;
  const mask = slots - 1;
  const prints = new Uint32Array(slots);
  // index + 1, so 0 marks an empty slot.
  const owners = new Uint32Array(slots);
  for (let i = 0; i <= last; i++) {
    const f = events[i] as number;
    if (f === 0) continue;
    let key: string | undefined;
    let s = f & mask;
    for (; owners[s] !== 0; s = (s + 1) & mask) {
      if (prints[s] !== f) continue;
      key ??= keyAt(i);
      if (keyAt((owners[s] as number) - 1) === key) return i;
    }
    prints[s] = f;
    owners[s] = i + 1;
  }
  return undefined;
}
