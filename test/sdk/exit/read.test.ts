// readMembers keeps the files verification reads in one array of the size each tar header
// declares. A header may lie: the content is then shorter (a truncated archive) or the size
// is beyond what one array can hold. Both are a coded refusal, and neither makes the reader
// resident for what was only declared.
import t from 'tap';
import { pack } from 'tar-stream';
import { readMembers } from '../../../sdk/src/exit/read.js';

/** The bytes a tar writer has emitted after a header declaring `size` and `written` bytes of content. */
async function truncated(name: string, size: number, written: number): Promise<Uint8Array> {
  const p = pack();
  const chunks: Uint8Array[] = [];
  p.on('data', (c) => void chunks.push(c as Uint8Array));
  p.entry({ name, size, type: 'file' }).write(Buffer.alloc(written, 0x41));
  await new Promise((resolve) => setImmediate(resolve));
  return Buffer.concat(chunks);
}

async function refusal(bytes: Uint8Array): Promise<{ code?: string; message?: string }> {
  try {
    for await (const m of readMembers([bytes])) void m;
    return {};
  } catch (e) {
    return e as { code?: string; message?: string };
  }
}

t.test('a kept member that declares 3 GiB and holds 1 KiB: refused as truncated, nothing resident', async (t) => {
  const bytes = await truncated('ledger/chain.jsonl', 3 * 2 ** 30, 1024);
  const before = process.memoryUsage().rss;
  const r = await refusal(bytes);
  t.equal(r.code, 'BUNDLE_ARCHIVE_INVALID', `refused: ${r.message}`);
  t.ok(process.memoryUsage().rss - before < 256 * 2 ** 20, 'the declared 3 GiB never became resident');
});

t.test('a kept member beyond one array (5 GiB): refused with a code, not a crash', async (t) => {
  for (const name of ['ledger/inclusion.jsonl', 'imvu/record.json']) {
    const r = await refusal(await truncated(name, 5 * 2 ** 30, 1024));
    t.equal(r.code, 'BUNDLE_ARCHIVE_INVALID', `${name}: refused`);
    t.match(r.message, /more than one array holds/, `${name}: says why (${r.message})`);
  }
});
