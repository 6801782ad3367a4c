import type { BundleSource } from '@nexus-cos/sdk';

const NL = new Uint8Array([10]);

/**
 * A newline-delimited file produced twice by `records`: once to learn its size (tar writes
 * sizes before content), once to stream it. `records` must yield the same bytes each time;
 * neither pass holds more than one record.
 */
export function linesSource(path: string, mediaType: string, records: () => Iterable<Uint8Array>): BundleSource {
  let size = 0;
  for (const r of records()) size += r.length + 1;
  return {
    path, mediaType, size,
    open: async function* () {
      for (const r of records()) {
        yield r;
        yield NL;
      }
    },
  };
}
