import { base58 } from '@scure/base';
import { fail } from '../errors/index.js';

/** Bitcoin-alphabet base58 (multibase `z`), as did:key uses. */
export function toBase58(bytes: Uint8Array): string {
  return base58.encode(bytes);
}

/** Decodes base58btc, refusing any text that does not re-encode to itself. */
export function fromBase58(text: string, field = ''): Uint8Array {
  let out: Uint8Array;
  try {
    out = base58.decode(text);
  } catch (cause) {
    throw fail('ENCODING_INVALID', 'not base58btc', field, cause);
  }
  if (base58.encode(out) !== text) throw fail('ENCODING_INVALID', 'not canonical base58btc', field);
  return out;
}
