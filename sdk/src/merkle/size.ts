import { fail } from '../errors/index.js';

// Tree sizes and indices are JavaScript numbers guarded to the safe-integer range
// (< 2^53). JS bitwise operators truncate to 32 bits, so the helpers below use
// arithmetic instead of `>>`/`&` and stay exact for every safe integer.

/** Throws INPUT_INVALID unless `n` is a non-negative safe integer. */
export function assertSize(n: unknown, field: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw fail('INPUT_INVALID', 'tree sizes and indices are non-negative safe integers', field);
  }
}

/** n >> 1 for any safe integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}

/** True when the least significant bit of n is set. */
export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** The largest power of two strictly below n (n >= 2), the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** True when n is an exact power of two (n >= 1). */
export function isPowerOfTwo(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}
