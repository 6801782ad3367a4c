import { fail } from '../errors/index.js';
import { PublicKey } from '../identity/public-key.js';

/**
 * The keys a verifier trusts, looked up by key id (did:key). A verifier never trusts a
 * key because an envelope names it; only keys handed in here count.
 */
export class TrustedKeys {
  readonly #byId = new Map<string, PublicKey>();

  constructor(keys: Iterable<PublicKey> = []) {
    for (const k of keys) this.#byId.set(k.id, k);
  }

  /** From did:key strings, each strictly checked. */
  static fromDids(dids: readonly string[]): TrustedKeys {
    return new TrustedKeys(dids.map((d, i) => PublicKey.fromDid(d, `/keys/${i}`)));
  }

  get(keyId: string): PublicKey | undefined {
    return this.#byId.get(keyId);
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Throws when empty: verifying against nothing would silently prove nothing. */
  assertNotEmpty(): void {
    if (this.#byId.size === 0) throw fail('SIGNATURE_UNTRUSTED', 'no trusted keys were given', '/trusted');
  }
}
