import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { fileChunks } from '../files/file-chunks.js';

/** What was written: the file's size and SHA-256, and the tar's bytes and members as parsed on the way. */
export interface Saved {
  readonly size: number;
  readonly sha256: string;
  readonly tarBytes: number;
  readonly files: number;
}

/** Called as each member has passed: its path and size, the tar bytes and members so far. */
export type OnFile = (path: string, size: number, tarBytes: number, files: number) => void;

/**
 * A side reader that parses the tar as it passes (gunzipping first if asked), only to count
 * members and bytes for the progress display. It never decides validity: if it cannot parse,
 * it stops reading and the verifier, run afterwards on the file, names the problem.
 */
function watcher(gzip: boolean, onFile: OnFile): { write: (chunk: Buffer) => Promise<void>; done: () => Promise<{ tarBytes: number; files: number }> } {
  let tarBytes = 0;
  let files = 0;
  let broken = false;
  // A write waiting for drain when the parse breaks must not wait for ever.
  let resume: (() => void) | undefined;
  const ex = extract();
  const counter = new Transform({ transform(chunk: Buffer, _e, cb) { tarBytes += chunk.length; cb(null, chunk); } });
  const input: Writable = gzip ? createGunzip() : counter;
  if (gzip) input.pipe(counter);
  counter.pipe(ex);
  ex.on('entry', (h, stream, next) => {
    stream.on('end', () => {
      files++;
      onFile(h.name, h.size ?? 0, tarBytes, files);
      next();
    });
    stream.resume();
  });
  // `once` rejects on 'error': a broken parse just ends the wait.
  const finished = once(ex, 'finish').catch(() => undefined);
  for (const s of [input, counter, ex]) {
    s.on('error', () => {
      broken = true;
      resume?.();
    });
  }
  return {
    write: (chunk) => {
      if (broken || input.write(chunk)) return Promise.resolve();
      return new Promise<void>((ok) => {
        const go = (): void => {
          input.off('drain', go);
          resume = undefined;
          ok();
        };
        resume = go;
        input.once('drain', go);
      });
    },
    done: async () => {
      input.end();
      // A broken parse never finishes; its counts so far stand.
      if (!broken) await finished;
      return { tarBytes, files };
    },
  };
}

/**
 * Streams `body` to `tempPath` (created new, mode 0600), hashing what is written and
 * feeding the progress watcher, with backpressure from both. The file is synced before
 * this resolves, so a rename after it never exposes a partial bundle.
 */
export async function saveBundle(body: Readable, tempPath: string, gzip: boolean, onFile: OnFile): Promise<Saved> {
  const hash = createHash('sha256');
  let size = 0;
  const w = watcher(gzip, onFile);
  const tee = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      size += chunk.length;
      this.push(chunk);
      void w.write(chunk).then(() => cb());
    },
  });
  await pipeline(body, tee, createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
  await syncFile(tempPath);
  const parsed = await w.done();
  return { size, sha256: hash.digest('hex'), ...parsed };
}

/** Writes `from` gzip-compressed (RFC 1952, zlib's default level, as the appliance's `?gzip=1`) to the new file `to`, mode 0600, synced. */
export async function gzipFile(from: string, to: string): Promise<void> {
  await pipeline(fileChunks(from), createGzip(), createWriteStream(to, { flags: 'wx', mode: 0o600 }));
  await syncFile(to);
}

/** Flushes a file just written to disk before it is verified and named. */
async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
