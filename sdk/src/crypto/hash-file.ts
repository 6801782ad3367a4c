import { fileChunks } from '../files/file-chunks.js';
import { sha256Stream } from './sha256-stream.js';

/** A stream's size and SHA-256 (hex). */
export interface Digest {
  readonly size: number;
  readonly sha256: string;
}

/**
 * `source`'s chunks, hashed as they pass on to whoever reads them: `digest()` is then the size
 * and SHA-256 of exactly the bytes that reader saw, with no second read of the file (which
 * could differ from the first). It throws until the stream has been read to its end.
 */
export function hashedChunks(source: AsyncIterable<Uint8Array>): { readonly chunks: AsyncIterable<Uint8Array>; digest(): Digest } {
  const hash = sha256Stream();
  let size = 0;
  let result: Digest | undefined;
  return {
    chunks: (async function* () {
      for await (const c of source) {
        hash.update(c);
        size += c.length;
        yield c;
      }
      result = { size, sha256: hash.hex() };
    })(),
    digest() {
      if (result === undefined) throw new Error('the stream was not read to its end');
      return result;
    },
  };
}

/** The size and SHA-256 (hex) of a file, streamed in chunks: memory stays flat for any size. */
export async function hashFile(path: string): Promise<Digest> {
  const h = hashedChunks(fileChunks(path));
  for await (const chunk of h.chunks) void chunk;
  return h.digest();
}
