import { createReadStream } from 'node:fs';
import { sha256Stream } from './sha256-stream.js';

/** The size and SHA-256 (hex) of a file, streamed in 1 MiB reads: memory stays flat for any size. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = sha256Stream();
  let size = 0;
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(c as Buffer);
    size += (c as Buffer).length;
  }
  return { size, sha256: hash.hex() };
}
