import type { BundleSource } from '@nexus-cos/sdk';

/** Lines are handed to the archive in chunks of about this size, not one write per line. */
const CHUNK = 64 * 1024;

/**
 * A newline-delimited file whose records come from `records`, called once per time the
 * file is opened. Tar writes sizes before content: give `size` when it is known without
 * producing the records; otherwise a first pass over `records` counts it. `records` must
 * yield the same bytes each time (the archive refuses a size that disagrees); no pass
 * holds more than one chunk.
 */
export function linesSource(path: string, mediaType: string, records: () => Iterable<Uint8Array>, size?: number): BundleSource {
  let declared = size ?? 0;
  if (size === undefined) for (const r of records()) declared += r.length + 1;
  return { path, mediaType, size: declared, open: () => chunked(records()) };
}

/**
 * Each record and its newline, gathered into chunks of about CHUNK bytes: a ledger line is
 * a few hundred bytes, and a write per line cost more than the bytes did.
 */
async function* chunked(records: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let buf = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  for (const r of records) {
    const need = r.length + 1;
    if (used + need > buf.length) {
      // A yielded chunk belongs to the archive from then on: start a new buffer, never reuse.
      if (used > 0) yield buf.subarray(0, used);
      buf = Buffer.allocUnsafe(Math.max(CHUNK, need));
      used = 0;
    }
    buf.set(r, used);
    buf[used + r.length] = 10;
    used += need;
  }
  if (used > 0) yield buf.subarray(0, used);
}
