import { fail } from '../errors/index.js';
import { fromBase58, toBase58 } from '../encoding/base58.js';
import { concatBytes } from '../encoding/utf8.js';

// did:key (W3C CCG did-method-key): multibase base58btc ('z') of the multicodec
// varint for ed25519-pub (0xed 0x01) followed by the 32 raw key bytes.
const PREFIX = 'did:key:z';
const ED25519_PUB_MULTICODEC = Uint8Array.from([0xed, 0x01]);

/** The did:key form of a raw Ed25519 public key. */
export function toDidKey(publicKey: Uint8Array): string {
  return PREFIX + toBase58(concatBytes(ED25519_PUB_MULTICODEC, publicKey));
}

/** The raw Ed25519 public key bytes inside a did:key; the point itself is checked by the caller. */
export function fromDidKey(did: string, field = ''): Uint8Array {
  if (typeof did !== 'string' || !did.startsWith(PREFIX) || did.length > 64) {
    throw fail('DID_INVALID', 'expected did:key:z… for an Ed25519 key', field);
  }
  let raw: Uint8Array;
  try {
    raw = fromBase58(did.slice(PREFIX.length), field);
  } catch (cause) {
    throw fail('DID_INVALID', 'did:key is not canonical base58btc', field, cause);
  }
  if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01) {
    throw fail('DID_INVALID', 'did:key does not hold an ed25519-pub key', field);
  }
  return raw.slice(2);
}
