import { once } from 'node:events';
import { pack, type Pack } from 'tar-stream';
import { sha256Stream } from '../crypto/sha256-stream.js';
import { fail } from '../errors/index.js';
import type { BundleFile } from '../schemas/exit-bundle.js';
import { MANIFEST_PATH, isBundlePath } from './layout.js';

/** One file a bundle section contributes: declared size first (tar needs it), content streamed on demand. */
export interface BundleSource {
  readonly path: string;
  readonly size: number;
  readonly mediaType: string;
  open(): AsyncIterable<Uint8Array>;
}

/** A source over bytes already in memory (small JSON files). */
export function bytesSource(path: string, mediaType: string, bytes: Uint8Array): BundleSource {
  return { path, mediaType, size: bytes.length, open: async function* () { yield bytes; } };
}

/** A member's writable side, as tar-stream (streamx) types it. */
type Writable = ReturnType<Pack['entry']>;

async function write(entry: Writable, chunk: Uint8Array): Promise<void> {
  if (!entry.write(chunk)) await once(entry as unknown as NodeJS.EventEmitter, 'drain');
}

/**
 * Streams a bundle archive (spec/exit-bundle.md §1): each source's content is hashed while
 * it is written, so memory stays flat however large a file is; then `sign` turns the list
 * into the signed manifest bytes, written last. `mtime` is the manifest's createdAt.
 */
export function packBundle(sources: AsyncIterable<BundleSource>, mtime: Date, sign: (files: BundleFile[]) => Uint8Array | Promise<Uint8Array>): AsyncIterable<Uint8Array> {
  const tar = pack();
  // One member at a time: the next starts only once tar-stream has taken this one whole.
  const member = async (path: string, size: number, fill: (out: Writable) => Promise<void>): Promise<void> => {
    let settle: (e?: Error | null) => void = () => undefined;
    const taken = new Promise<void>((resolve, reject) => { settle = (e) => (e ? reject(e) : resolve()); });
    // If the reader goes away mid-member, `fill` fails first and `taken` is never awaited:
    // its rejection must not become an unhandled one (which would end the process).
    taken.catch(() => undefined);
    const out = tar.entry({ name: path, size, mode: 0o644, mtime, type: 'file' }, (e) => settle(e));
    await fill(out);
    // streamx's end(data) writes `data` first when given; undefined ends without a write.
    out.end(undefined);
    await taken;
  };
  const produce = async (): Promise<void> => {
    const files: BundleFile[] = [];
    const seen = new Set<string>();
    for await (const s of sources) {
      if (!isBundlePath(s.path) || s.path === MANIFEST_PATH || seen.has(s.path)) throw fail('BUNDLE_ENTRY_INVALID', 'a section produced a bad or repeated path', s.path);
      seen.add(s.path);
      const h = sha256Stream();
      let size = 0;
      await member(s.path, s.size, async (out) => {
        for await (const chunk of s.open()) {
          size += chunk.length;
          if (size > s.size) break;
          // Handed to the archive first, hashed while the write is under way, then waited
          // on: hashing after the wait left the write and the hash taking turns.
          const written = write(out, chunk);
          h.update(chunk);
          await written;
        }
        if (size !== s.size) throw fail('BUNDLE_SIZE_MISMATCH', `declared ${s.size} bytes, streamed ${size}`, s.path);
      });
      files.push({ path: s.path, size: String(size), sha256: h.hex(), mediaType: s.mediaType });
    }
    const manifest = await sign(files);
    await member(MANIFEST_PATH, manifest.length, (out) => write(out, manifest));
    tar.finalize();
  };
  produce().catch((e: unknown) => tar.destroy(e instanceof Error ? e : new Error(String(e))));
  return tar as AsyncIterable<Uint8Array>;
}
