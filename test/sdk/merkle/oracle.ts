import { leafHash, nodeHash, emptyRoot } from '../../../sdk/src/merkle/index.js';

// A literal transcription of the recursive definitions of RFC 9162 §2.1.1, §2.1.3.1 and
// §2.1.4.1 (array slices and all), as an independent oracle for the iterative code.

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** MTH(D) over leaf hashes. */
export function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return emptyRoot();
  if (d.length === 1) return d[0] as Uint8Array;
  const s = k(d.length);
  return nodeHash(mth(d.slice(0, s)), mth(d.slice(s)));
}

/** PATH(m, D). */
export function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}

function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

/** PROOF(m, D). */
export function proof(m: number, d: Uint8Array[]): Uint8Array[] {
  return m === 0 || m === d.length ? [] : subproof(m, d, true);
}

/** Deterministic leaf hashes for tests: leaf i is the 4-byte big-endian encoding of i. */
export function leaves(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, i, false);
    out.push(leafHash(b));
  }
  return out;
}
