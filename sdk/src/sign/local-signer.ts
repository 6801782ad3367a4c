import type { KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { ED25519, nobleSign, noblePublicKey, randomSeed } from '../crypto/ed25519.js';
import { nodePrivateKey, nodeSign } from '../crypto/node-ed25519.js';
import { fail } from '../errors/index.js';
import { PublicKey } from '../identity/public-key.js';
import type { CryptoBackend, SyncSigner } from './signer.js';

/**
 * An in-process Ed25519 key (a 32-byte RFC 8032 seed). The seed lives in a private
 * field and is never serialized or printed: JSON and inspect show the public key only.
 * JavaScript cannot promise to wipe it from memory (see SECURITY.md).
 */
export class LocalSigner implements SyncSigner {
  readonly publicKey: PublicKey;
  readonly backend: CryptoBackend;
  readonly #seed: Uint8Array;
  readonly #node: KeyObject | undefined;

  private constructor(seed: Uint8Array, backend: CryptoBackend) {
    this.#seed = Uint8Array.from(seed);
    this.backend = backend;
    this.#node = backend === 'node' ? nodePrivateKey(this.#seed) : undefined;
    this.publicKey = PublicKey.fromBytes(noblePublicKey(this.#seed));
  }

  /** A signer for an existing 32-byte seed. */
  static fromSeed(seed: Uint8Array, backend: CryptoBackend = 'node'): LocalSigner {
    if (!(seed instanceof Uint8Array) || seed.length !== ED25519.seed) {
      throw fail('KEY_INVALID', 'an Ed25519 seed is 32 bytes', '/seed');
    }
    return new LocalSigner(seed, backend);
  }

  /** A signer for a fresh random key. */
  static generate(backend: CryptoBackend = 'node'): LocalSigner {
    return new LocalSigner(randomSeed(), backend);
  }

  signSync(message: Uint8Array): Uint8Array {
    return this.#node === undefined ? nobleSign(this.#seed, message) : nodeSign(this.#node, message);
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(this.signSync(message));
  }

  /** The seed, for writing to a 0600 secrets file. The only way out; never logged. */
  exportSeed(): Uint8Array {
    return Uint8Array.from(this.#seed);
  }

  toJSON(): { publicKey: string; backend: CryptoBackend } {
    return { publicKey: this.publicKey.id, backend: this.backend };
  }

  [inspect.custom](): string {
    return `LocalSigner(${this.publicKey.id}, ${this.backend})`;
  }
}
