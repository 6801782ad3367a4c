import { fail } from '../../errors/index.js';

/**
 * Records back to back in memory every thread reads in place (a SharedArrayBuffer), so a
 * batch crosses to a worker as two numbers, not as a copy of its bytes. Record i spans
 * [start(i), ends[i]); `gap` bytes (a newline in a .jsonl file, none in packed records)
 * separate one record from the next.
 */
export interface SharedRecords {
  readonly bytes: Uint8Array;
  readonly ends: Float64Array;
  readonly gap: 0 | 1;
}

export const recordCount = (r: SharedRecords): number => r.ends.length;

/** Record i (a view, no copy). */
export function recordAt(r: SharedRecords, i: number): Uint8Array {
  return r.bytes.subarray(i === 0 ? 0 : (r.ends[i - 1] as number) + r.gap, r.ends[i]);
}

/** `bytes` in shared memory: as they are when they already live there, else copied there once. */
export function sharedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}

/** Separate records packed back to back in shared memory. */
export function packRecords(records: readonly Uint8Array[]): SharedRecords {
  const ends = new Float64Array(new SharedArrayBuffer(8 * records.length));
  let size = 0;
  records.forEach((r, i) => (ends[i] = size += r.length));
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  records.forEach((r, i) => bytes.set(r, i === 0 ? 0 : ends[i - 1]));
  return { bytes, ends, gap: 0 };
}

/**
 * Where each newline-terminated record of `bytes` ends (its newline's offset). A missing
 * final newline is refused (SLICE_INCOMPLETE at `path#/n`), as a truncated file must be.
 * `shared`: the offsets in shared memory, for workers to read.
 */
export function lineEnds(bytes: Uint8Array, path: string, shared = false): Float64Array {
  // Buffer's indexOf is memchr; a Uint8Array's is a byte loop, three times slower here.
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let n = 0;
  let start = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, start)) {
    n++;
    start = i + 1;
  }
  if (start !== b.length) throw fail('SLICE_INCOMPLETE', 'the last record is not newline-terminated (truncated?)', `${path}#/${n}`);
  const ends = new Float64Array(shared ? new SharedArrayBuffer(8 * n) : new ArrayBuffer(8 * n));
  for (let k = 0, i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) ends[k++] = i;
  return ends;
}

/** The newline-terminated records of a file, in shared memory (see lineEnds). */
export function lineRecords(file: Uint8Array, path: string): SharedRecords {
  const bytes = sharedBytes(file);
  return { bytes, ends: lineEnds(bytes, path, true), gap: 1 };
}
