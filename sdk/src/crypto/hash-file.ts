import { fileChunks } from '../files/file-chunks.js';
import { sha256Stream } from './sha256-stream.js';

/** The size and SHA-256 (hex) of a file, streamed in chunks: memory stays flat for any size. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = sha256Stream();
  let size = 0;
  for await (const c of fileChunks(path)) {
    hash.update(c);
    size += c.length;
  }
  return { size, sha256: hash.hex() };
}
