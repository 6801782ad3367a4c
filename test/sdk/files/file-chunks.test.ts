// Files are streamed in FILE_CHUNK reads (Node's 64 KiB default costs several times the CPU
// on a bundle of GBs): the chunks must still be the file, in order, by path or by fd.
import { createHash, randomBytes } from 'node:crypto';
import { fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hashedChunks, hashFile } from '../../../sdk/src/crypto/hash-file.js';
import { FILE_CHUNK, fileChunks } from '../../../sdk/src/files/file-chunks.js';

const dir = mkdtempSync(join(tmpdir(), 'nexus-file-chunks-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

async function collect(src: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of src) out.push(c);
  return out;
}

t.test('a file by path comes back whole, in FILE_CHUNK pieces', async (t) => {
  for (const n of [0, 1, FILE_CHUNK - 1, FILE_CHUNK, 2 * FILE_CHUNK + 17]) {
    const data = randomBytes(n);
    const file = join(dir, `f${n}`);
    writeFileSync(file, data);
    const chunks = await collect(fileChunks(file));
    t.same(chunks.map((c) => c.length), Array.from({ length: Math.ceil(n / FILE_CHUNK) }, (_, i) => Math.min(FILE_CHUNK, n - i * FILE_CHUNK)), `${n} bytes: chunk sizes`);
    t.ok(Buffer.concat(chunks).equals(data), `${n} bytes: content`);
    t.same(await hashFile(file), { size: n, sha256: createHash('sha256').update(data).digest('hex') }, `${n} bytes: hashFile`);
  }
});

t.test('an fd already opened is read from its start and closed at the end', async (t) => {
  const data = randomBytes(FILE_CHUNK + 5);
  const file = join(dir, 'fd');
  writeFileSync(file, data);
  const fd = openSync(file, 'r');
  const chunks = await collect(fileChunks(fd));
  t.ok(Buffer.concat(chunks).equals(data), 'content');
  t.throws(() => fstatSync(fd), { code: 'EBADF' }, 'the fd is closed');
});

t.test('a missing file rejects with the system error', async (t) => {
  await t.rejects(collect(fileChunks(join(dir, 'absent'))), { code: 'ENOENT' });
});

t.test('hashedChunks passes every chunk on unchanged and digests exactly what was read, once it was read to the end', async (t) => {
  const data = randomBytes(2 * FILE_CHUNK + 9);
  const file = join(dir, 'hashed');
  writeFileSync(file, data);
  const h = hashedChunks(fileChunks(file));
  t.throws(() => h.digest(), /not read to its end/, 'no digest before the stream is read');
  const seen: Uint8Array[] = [];
  for await (const c of h.chunks) {
    seen.push(c);
    t.throws(() => h.digest(), /not read to its end/, `no digest after ${seen.length} of 3 chunks`);
  }
  t.ok(Buffer.concat(seen).equals(data), 'the reader saw the file');
  t.same(h.digest(), { size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  // A reader that stops early gets no digest, rather than one of part of the file.
  const early = hashedChunks(fileChunks(file));
  for await (const c of early.chunks) {
    t.equal(c.length, FILE_CHUNK);
    break;
  }
  t.throws(() => early.digest(), /not read to its end/);
});
