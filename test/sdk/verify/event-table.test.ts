// firstRepeatedEvent (the main thread's duplicate-event check over fingerprints the workers
// wrote) against the obvious walk with a Set of keys: the same first repeat, whatever the
// fingerprints, including fingerprints that collide for different keys.
import fc from 'fast-check';
import t from 'tap';
import { fingerprint, firstRepeatedEvent } from '../../../sdk/src/verify/parallel/event-table.js';

/** The linker's walk: the first index whose key was seen before, among 0..last. */
const naive = (keys: readonly (string | undefined)[], last: number): number | undefined => {
  const seen = new Set<string>();
  for (let i = 0; i <= last; i++) {
    const k = keys[i];
    if (k === undefined) continue;
    if (seen.has(k)) return i;
    seen.add(k);
  }
  return undefined;
};

const table = (keys: readonly (string | undefined)[], print: (k: string) => number): Uint32Array => Uint32Array.from(keys, (k) => (k === undefined ? 0 : print(k)));

t.test('named cases', async (t) => {
  const keys = ['usage a 1', undefined, 'usage a 2', 'revenue 1', 'usage a 3', 'usage a 2', 'usage a 1'];
  const at = (i: number): string => keys[i] ?? '';
  t.equal(firstRepeatedEvent(table(keys, fingerprint), keys.length - 1, at), 5, 'the second "usage a 2", not the later "usage a 1"');
  t.equal(firstRepeatedEvent(table(keys, fingerprint), 4, at), undefined, 'nothing repeats up to index 4');
  t.equal(firstRepeatedEvent(table(keys, () => 7), keys.length - 1, at), 5, 'every fingerprint equal: the keys decide');
  t.equal(firstRepeatedEvent(table(keys, () => 7), 4, at), undefined, 'equal fingerprints of different keys are not repeats');
  t.equal(firstRepeatedEvent(new Uint32Array(0), -1, at), undefined, 'an empty slice');
  t.not(fingerprint(''), 0, 'a fingerprint is never 0, which marks "no event"');
});

t.test('property: the same first repeat as a Set walk, with real and with colliding fingerprints', async (t) => {
  const keyArb = fc.option(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 3 }), { nil: undefined });
  const weak = (k: string): number => (k.length % 3) + 1;
  fc.assert(fc.property(fc.array(keyArb, { maxLength: 60 }), fc.nat(), (keys, cut) => {
    const last = keys.length === 0 ? -1 : cut % keys.length;
    const at = (i: number): string => keys[i] ?? '';
    const want = naive(keys, last);
    return firstRepeatedEvent(table(keys, fingerprint), last, at) === want && firstRepeatedEvent(table(keys, weak), last, at) === want;
  }), { numRuns: 3000 });
  t.pass('3000 runs agree');
});
