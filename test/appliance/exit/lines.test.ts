// linesSource gathers records into chunks of about 64 KiB: the bytes must be exactly the
// records and their newlines, in order, whatever the record sizes, and the declared size
// must be the streamed one (counted, or given by the caller).
import t from 'tap';
import fc from 'fast-check';
import { linesSource } from '../../../appliance/src/exit/sections/lines.js';

const KiB = 1024;

async function streamed(open: () => AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number[] }> {
  const parts: Buffer[] = [];
  for await (const c of open()) parts.push(Buffer.from(c));
  return { bytes: Buffer.concat(parts), chunks: parts.map((p) => p.length) };
}

t.test('any records, any sizes: the stream is the records joined by newlines, in chunks no larger than needed', async (t) => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 150 * KiB }), { maxLength: 40 }), async (sizes) => {
      runs++;
      const records = sizes.map((n, i) => new Uint8Array(n).fill(65 + (i % 26)));
      const expected = Buffer.concat(records.flatMap((r) => [Buffer.from(r), Buffer.from('\n')]));
      const counted = linesSource('ledger/x.jsonl', 'application/x-ndjson', () => records);
      const given = linesSource('ledger/x.jsonl', 'application/x-ndjson', () => records, expected.length);
      const a = await streamed(counted.open);
      const b = await streamed(given.open);
      const largest = Math.max(64 * KiB, ...sizes.map((n) => n + 1));
      return counted.size === expected.length && given.size === expected.length && a.bytes.equals(expected) && b.bytes.equals(expected)
        && a.chunks.every((n) => n > 0 && n <= largest) && (sizes.every((n) => n < 1000) ? a.chunks.length <= Math.ceil(expected.length / (63 * KiB)) + 1 : true);
    }),
    { numRuns: 300 },
  );
  t.equal(runs, 300);
});

t.test('a thousand small lines cross as a handful of chunks, not two writes a line', async (t) => {
  const records = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(`{"seq":${i},"pad":"${'x'.repeat(300)}"}`));
  const { bytes, chunks } = await streamed(linesSource('ledger/chain.jsonl', 'application/x-ndjson', () => records).open);
  t.equal(bytes.toString().split('\n').length, 1001);
  t.ok(chunks.length <= 6, `${chunks.length} chunks`);
});

t.test('each opening streams afresh, and a chunk once yielded is never written again', async (t) => {
  const records = Array.from({ length: 500 }, (_, i) => new Uint8Array(1000).fill(i % 256));
  const src = linesSource('ledger/x.jsonl', 'application/x-ndjson', () => records);
  const held: Uint8Array[] = [];
  const copiesWhenYielded: Buffer[] = [];
  for await (const c of src.open()) {
    held.push(c);
    copiesWhenYielded.push(Buffer.from(c));
  }
  const whenYielded = Buffer.concat(copiesWhenYielded);
  t.ok(Buffer.concat(held).equals(whenYielded), 'chunks held to the end are what they were when yielded');
  t.equal(whenYielded.length, 500 * 1001);
  t.ok((await streamed(src.open)).bytes.equals(whenYielded), 'a second opening streams the same bytes');
});
