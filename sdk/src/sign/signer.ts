import type { PublicKey } from '../identity/public-key.js';

/**
 * Anything that can produce an RFC 8032 Ed25519 signature for one key. Async so that
 * hardware tokens, agents and remote KMSs fit; the in-process signers also offer signSync.
 */
export interface Signer {
  readonly publicKey: PublicKey;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer that can sign without waiting (in-process keys). */
export interface SyncSigner extends Signer {
  signSync(message: Uint8Array): Uint8Array;
}

/** Which Ed25519 implementation performs an operation. Both give identical results. */
export type CryptoBackend = 'node' | 'noble';
