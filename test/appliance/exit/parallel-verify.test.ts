// The parallel slice verifier (worker threads) against the sequential one: the same verdict
// and the same first failure, wherever the corruption is and however batches finish.
import t from 'tap';
import { verifySlice, verifySliceParallel, type ParallelOptions } from '@nexus-cos/sdk';
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import { headArtifact } from '../../../appliance/src/ledger/proofs.js';
import { checkLedger } from '../../../sdk/src/exit/ledger-check.js';
import { loadTrustedRoot } from '../../../sdk/src/verify/trusted-root.js';
import { verifyHeadProof } from '../../../sdk/src/verify/slice.js';
import { StreamedChain } from '../../../sdk/src/verify/parallel/stream.js';
import { ORIGIN, openLedger, platform, tempDb, trustedRoot, usage } from '../../helpers/ledger.js';
import { unpack } from '../../helpers/tar.js';
import { bundleOf } from './small-chain.js';

const IMVU = 'IMVU-042';
const N = 300;
const ledger = openLedger(tempDb());
t.teardown(() => ledger.close());
for (let i = 0; i < N; i++) await recordUsage(ledger, usage(IMVU, i));
ledger.checkpoint();
const headProof = headArtifact(ledger, IMVU);
const chain: readonly Uint8Array[] = ledger.store.chain(IMVU, 0, N - 1).map((e) => e.bytes);

type Outcome = { code?: string; field?: string; entries?: number; head?: string };
const sequential = (entries: readonly Uint8Array[]): Outcome => {
  try {
    const v = verifySlice(entries, headProof, trustedRoot);
    return { entries: v.entries.length, head: v.entries.at(-1)?.hash ?? '' };
  } catch (e) {
    return { code: (e as Outcome).code ?? 'not coded', field: (e as Outcome).field ?? '' };
  }
};
const parallel = (entries: readonly Uint8Array[], opts: ParallelOptions): Promise<Outcome> => verifySliceParallel(entries, headProof, trustedRoot, opts).then(
  (v) => ({ entries: v.count, head: v.notable.at(-1)?.hash ?? '' }),
  (e: Outcome) => ({ code: e.code ?? 'not coded', field: e.field ?? '' }),
);

/** A flipped bit in entry `i`'s signature: it no longer verifies. */
const badSig = (entries: Uint8Array[], i: number): void => {
  const b = Uint8Array.from(entries[i] as Uint8Array);
  const at = Buffer.from(b).indexOf('"sig":"') + 12;
  b[at] = (b[at] as number) === 0x41 ? 0x42 : 0x41;
  entries[i] = b;
};
/** Entries `i` and `i + 1` swapped: both signed, but out of order. */
const swap = (entries: Uint8Array[], i: number): void => {
  [entries[i], entries[i + 1]] = [entries[i + 1] as Uint8Array, entries[i] as Uint8Array];
};
/** Entry `i` replaced by a copy of entry `j`: a signed entry in the wrong place (and a repeated event). */
const copy = (entries: Uint8Array[], i: number, j: number): void => {
  entries[i] = entries[j] as Uint8Array;
};
/** Entry `i` no longer JSON. */
const garbage = (entries: Uint8Array[], i: number): void => {
  entries[i] = new TextEncoder().encode('{"payload":');
};

const cases: [string, (e: Uint8Array[]) => void][] = [
  ['intact', () => undefined],
  ['bad signature at 0', (e) => badSig(e, 0)],
  ['bad signature at 299 (the head)', (e) => badSig(e, 299)],
  ['bad signatures at 250 and 40', (e) => { badSig(e, 250); badSig(e, 40); }],
  ['swap at 150, bad signature at 200', (e) => { swap(e, 150); badSig(e, 200); }],
  ['bad signature at 30, swap at 100', (e) => { badSig(e, 30); swap(e, 100); }],
  ['copy of 69 at 70, garbage at 71', (e) => { copy(e, 70, 69); garbage(e, 71); }],
  ['garbage at 17, bad signatures at 16 and 290', (e) => { garbage(e, 17); badSig(e, 16); badSig(e, 290); }],
  ['copy of 10 at 200 (a repeated event), swap at 260', (e) => { copy(e, 200, 10); swap(e, 260); }],
];

t.test('the parallel verifier reports exactly what the sequential one does', async (t) => {
  for (const opts of [{ threads: 2, batch: 16 }, { threads: 3, batch: 7 }]) {
    for (const [what, corrupt] of cases) {
      const entries = [...chain];
      corrupt(entries);
      const want = sequential(entries);
      const got = await parallel(entries, opts);
      t.same(got, want, `${what}, ${opts.threads} threads, batches of ${opts.batch}: ${want.code ?? 'verifies'} ${want.field ?? ''}`);
    }
  }
});

t.test('the corruptions are the failures meant, so the comparison is not vacuous', async (t) => {
  const outcomes = new Map(cases.map(([what, corrupt]) => {
    const entries = [...chain];
    corrupt(entries);
    return [what, sequential(entries)];
  }));
  t.same(outcomes.get('intact'), { entries: N, head: ledger.chains.head(IMVU)?.hash }, 'intact: every entry, up to the head');
  t.same(outcomes.get('bad signatures at 250 and 40'), { code: 'SIGNATURE_INVALID', field: '/entries/40/signatures/0/sig' }, 'the lower of two bad signatures');
  t.same(outcomes.get('swap at 150, bad signature at 200'), { code: 'SLICE_INCOMPLETE', field: '/entries/150/seq' }, 'a broken link before a bad signature');
  t.same(outcomes.get('bad signature at 30, swap at 100'), { code: 'SIGNATURE_INVALID', field: '/entries/30/signatures/0/sig' }, 'a bad signature before a broken link');
  t.same(outcomes.get('copy of 69 at 70, garbage at 71'), { code: 'DUPLICATE_EVENT', field: '/entries/70/id' }, 'a misplaced copy (its event repeated) before garbage');
  t.same(outcomes.get('garbage at 17, bad signatures at 16 and 290'), { code: 'SIGNATURE_INVALID', field: '/entries/16/signatures/0/sig' }, 'a bad signature just before garbage');
  t.same(outcomes.get('copy of 10 at 200 (a repeated event), swap at 260'), { code: 'DUPLICATE_EVENT', field: '/entries/200/id' }, 'a repeated event');
});

t.test('a bundle\'s ledger checked on workers fails exactly where the one-thread check does', async (t) => {
  const members = await unpack(await bundleOf(ledger));
  const files = new Map(members.map((m) => [m.name, new Uint8Array(m.bytes)]));
  // checkLedger is internal, so it is imported from the sources, with a root loaded there too.
  const root = loadTrustedRoot({ mediaType: 'application/vnd.nexus-cos.trusted-root.v1+json', origin: ORIGIN, keys: [{ name: ORIGIN, publicKey: platform.publicKey.id }] });
  const outcome = (f: Map<string, Uint8Array>, parallelFrom: number, started?: StreamedChain): Promise<Outcome> => checkLedger(f, root, { parallelFrom, ...(started === undefined ? {} : { started, batch: 16 }) }).then(
    (v) => ({ entries: v.count, head: v.notable.at(-1)?.hash ?? '' }),
    (e: Outcome) => ({ code: e.code ?? 'not coded', field: e.field ?? '' }),
  );
  /** `file` with line `i` changed by `edit`. */
  const edited = (file: string, edits: [number, (line: string) => string][]): Map<string, Uint8Array> => {
    const lines = Buffer.from(files.get(file) as Uint8Array).toString().split('\n');
    for (const [i, edit] of edits) lines[i] = edit(lines[i] as string);
    return new Map([...files, [file, new TextEncoder().encode(lines.join('\n'))]]);
  };
  const otherHash = (line: string): string => line.replace(/"hashes":\["[A-Za-z0-9+/]/, (m) => `${m.slice(0, -1)}${m.endsWith('A') ? 'B' : 'A'}`);
  const inclusion = 'ledger/inclusion.jsonl';
  const cases: [string, Map<string, Uint8Array>, string][] = [
    ['intact', files, ''],
    ['proofs at 260 and 45 point elsewhere', edited(inclusion, [[260, otherHash], [45, otherHash]]), 'ledger/inclusion.jsonl#/45'],
    ['proof at 120 not JSON, proof at 7 wrong index', edited(inclusion, [[120, () => '{'], [7, (l) => l.replace(/"logIndex":"\d+"/, '"logIndex":"0"')]]), 'ledger/inclusion.jsonl#/7'],
    ['proof at 3 null', edited(inclusion, [[3, () => 'null']]), 'ledger/inclusion.jsonl#/3'],
    ['one proof line too few', new Map([...files, [inclusion, (files.get(inclusion) as Uint8Array).subarray(0, (files.get(inclusion) as Uint8Array).lastIndexOf(10, (files.get(inclusion) as Uint8Array).length - 2) + 1)]]), 'ledger/inclusion.jsonl'],
    ['the proof file cut mid-line, and a bad entry at 9', new Map([...edited('ledger/chain.jsonl', [[9, (l) => l.replace('"sig":"', '"sig":"AA')]]), [inclusion, (files.get(inclusion) as Uint8Array).subarray(0, 100)]]), 'ledger/chain.jsonl#/entries/9'],
    ['the proof file cut mid-line', new Map([...files, [inclusion, (files.get(inclusion) as Uint8Array).subarray(0, 100)]]), 'ledger/inclusion.jsonl'],
    ['a bad entry at 250 and a bad proof at 2', new Map([...edited(inclusion, [[2, otherHash]])].map(([k, v]) => [k, k === 'ledger/chain.jsonl' ? (edited(k, [[250, (l) => l.replace('"sig":"', '"sig":"AA')]]).get(k) as Uint8Array) : v])), 'ledger/chain.jsonl#/entries/250'],
  ];
  /** On workers that started on the chain while it arrived, 997 bytes at a time. */
  const streamed = async (f: Map<string, Uint8Array>): Promise<Outcome> => {
    const bytes = f.get('ledger/chain.jsonl') as Uint8Array;
    const arriving = new Uint8Array(new SharedArrayBuffer(bytes.length));
    const head = verifyHeadProof(JSON.parse(Buffer.from(f.get('ledger/head-proof.json') as Uint8Array).toString()), root);
    const s = StreamedChain.start(arriving, head, root, { threads: 2, batch: 16 });
    if (s === undefined) return { code: 'did not start' };
    try {
      for (let at = 0; at < bytes.length; at += 997) {
        arriving.set(bytes.subarray(at, at + 997), at);
        s.feed(Math.min(bytes.length, at + 997));
        await new Promise((resolve) => setImmediate(resolve));
      }
      s.end();
      if (s.records() === undefined) return { code: 'not used' };
      return await outcome(new Map([...f, ['ledger/chain.jsonl', arriving]]), 0, s);
    } finally {
      await s.close();
    }
  };
  for (const [what, f, field] of cases) {
    const one = await outcome(f, Infinity);
    t.same(await outcome(f, 0), one, `${what}: same on workers (${one.code ?? 'verifies'} ${one.field ?? ''})`);
    t.same(await streamed(f), one, `${what}: same on workers started while the chain streamed in`);
    if (field === '') t.equal(one.entries, N, `${what}: verifies`);
    else t.ok(one.field?.startsWith(field), `${what}: fails at ${field}`);
  }
});

t.test('a streamed chain sends a batch only once its lines are complete, and never one past what arrived', async (t) => {
  const members = await unpack(await bundleOf(ledger));
  const bytes = members.find((m) => m.name === 'ledger/chain.jsonl')?.bytes as Buffer;
  const root = loadTrustedRoot({ mediaType: 'application/vnd.nexus-cos.trusted-root.v1+json', origin: ORIGIN, keys: [{ name: ORIGIN, publicKey: platform.publicKey.id }] });
  const head = verifyHeadProof(JSON.parse(members.find((m) => m.name === 'ledger/head-proof.json')?.bytes.toString() ?? ''), root);
  const arriving = new Uint8Array(new SharedArrayBuffer(bytes.length));
  const s = StreamedChain.start(arriving, head, root, { threads: 2, batch: 50 });
  t.ok(s !== undefined, 'it starts on a chain whose head proof came first');
  if (s === undefined) return;
  // Entries 0..119 and part of 120: batches 0 and 1 (entries 0..99) can go, batch 2 cannot.
  let end = 0;
  for (let i = 0; i <= 120; i++) end = bytes.indexOf(10, end) + 1;
  arriving.set(bytes.subarray(0, end - 5));
  s.feed(end - 5);
  s.end();
  const out = await s.results;
  t.same(out.results.map((r) => r !== undefined), [true, true, false, false, false, false], 'the two complete batches were checked, none after');
  t.equal(out.lowest, undefined, 'and they verified');
  t.equal(s.records(), undefined, 'a chain cut short is not offered for the verdict');
  t.ok(s.matches(root), 'its results are for the root it was started with');
  const withPeriod = loadTrustedRoot({ mediaType: 'application/vnd.nexus-cos.trusted-root.v1+json', origin: ORIGIN, keys: [{ name: ORIGIN, publicKey: platform.publicKey.id, validFrom: '2026-01-01T00:00:00Z' }] });
  t.notOk(s.matches(withPeriod), 'not for a root that gives the key a period');
  await s.close();
  t.equal(StreamedChain.start(new Uint8Array(new SharedArrayBuffer(2 * N - 1)), head, root), undefined, 'a head committing more lines than the member can hold is not started');
  t.equal(StreamedChain.start(new Uint8Array(bytes.length), head, root), undefined, 'nor are bytes outside shared memory');
});
