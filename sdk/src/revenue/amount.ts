import { fail } from '../errors/index.js';

// The wire form of UIntString: no sign, no leading zeros, so each amount has one text.
const DECIMAL = /^(?:0|[1-9][0-9]{0,77})$/;

/** Parses a non-negative decimal string (amounts, quantities, seqs) into a bigint; never via a float. */
export function parseAmount(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !DECIMAL.test(text)) throw fail('INPUT_INVALID', 'not a non-negative decimal string', field);
  return BigInt(text);
}

/** The wire form of a non-negative bigint amount. */
export function formatAmount(n: bigint, field = '/'): string {
  if (n < 0n) throw fail('INPUT_INVALID', 'amounts are never negative', field);
  return n.toString(10);
}
