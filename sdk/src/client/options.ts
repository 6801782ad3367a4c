import type { Dispatcher } from 'undici';
import type { Signer } from '../sign/signer.js';

/** How a NexusClient reaches and authenticates to an appliance. */
export interface NexusClientOptions {
  /** The appliance's base URL, e.g. `https://nexus.example.net` or `http://127.0.0.1:8080`; a path prefix is kept. */
  readonly baseUrl: string | URL;
  /** The identity that signs every request; without one only public reads work. */
  readonly signer?: Signer;
  /** An undici dispatcher (an `Agent` with TLS options, a `ProxyAgent`, a `MockAgent` in tests). */
  readonly dispatcher?: Dispatcher;
  /** Per-request timeout for headers and body, in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Retries for idempotent calls (GET, DELETE) on network errors and 503 (default 3, at most 3). */
  readonly retries?: number;
  /** First backoff delay in ms, doubled each retry (default 200). */
  readonly retryDelayMs?: number;
  /** Validity of each signed request in ms (default: signRequest's). */
  readonly requestTtlMs?: number;
  /** Extra headers sent with every request (a proxy's auth, say); never `authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export const MAX_RETRIES = 3;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY_DELAY_MS = 200;
