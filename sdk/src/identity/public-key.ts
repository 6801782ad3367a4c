import type { KeyObject } from 'node:crypto';
import { assertStrictPublicKey } from '../crypto/ed25519.js';
import { nodePublicKey } from '../crypto/node-ed25519.js';
import { fromBase64, toBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/utf8.js';
import { fromDidKey, toDidKey } from './did-key.js';

// Keys that passed the strict checks, by did:key; bounded so a flood of new keys cannot
// grow it without limit (the oldest is forgotten first).
const CHECKED = new Map<string, PublicKey>();
const CHECKED_MAX = 4096;

/**
 * A strictly checked Ed25519 public key. Construction refuses non-canonical,
 * small-order and mixed-order points once, so verification never has to.
 * Its `id` is its did:key, which is also the DSSE `keyid` it signs under.
 */
export class PublicKey {
  readonly bytes: Uint8Array;
  readonly id: string;
  #node: KeyObject | undefined;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.id = toDidKey(bytes);
  }

  /** From 32 raw bytes. */
  static fromBytes(bytes: Uint8Array, field = ''): PublicKey {
    assertStrictPublicKey(bytes, field);
    return new PublicKey(Uint8Array.from(bytes));
  }

  /**
   * From a did:key string. The strict point checks (a prime-order test costs about a
   * millisecond) run once per key: checked keys are remembered, as keys are immutable.
   */
  static fromDid(did: string, field = ''): PublicKey {
    const known = CHECKED.get(did);
    if (known !== undefined) return known;
    const key = PublicKey.fromBytes(fromDidKey(did, field), field);
    if (CHECKED.size >= CHECKED_MAX) CHECKED.delete(CHECKED.keys().next().value as string);
    CHECKED.set(did, key);
    return key;
  }

  /** From standard base64 of the raw bytes. */
  static fromBase64(text: string, field = ''): PublicKey {
    return PublicKey.fromBytes(fromBase64(text, field), field);
  }

  /** Standard base64 of the raw bytes. */
  toBase64(): string {
    return toBase64(this.bytes);
  }

  /** The OpenSSL key object, built once on first use. */
  get nodeKey(): KeyObject {
    this.#node ??= nodePublicKey(this.bytes);
    return this.#node;
  }

  /** Same key bytes. */
  equals(other: PublicKey): boolean {
    return bytesEqual(this.bytes, other.bytes);
  }

  toJSON(): string {
    return this.id;
  }
}
