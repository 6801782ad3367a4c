import { NexusError, isNexusError, verifyRequest, type BodyDigest, type SignedRequest } from '@nexus-cos/sdk';
import { MAX_LIFETIME_MS, MAX_SKEW_MS } from '../domain/gates/rules/g01-identity-proof.js';
import type { Caller } from '../services/api.js';
import type { NonceStore } from '../ports/nonce-store.js';
import { ReplayCache } from './replay-cache.js';

/** What arrived: method, target (path and query as sent), exact body bytes (or their digest, for a staged body), Authorization. */
export interface Arrived {
  readonly method: string;
  readonly url: string;
  readonly body: Uint8Array | BodyDigest;
  readonly authorization: string | undefined;
}

/**
 * Authenticates signed requests (spec/requests.md). The envelope is verified strictly, and
 * method, path and body digest must match what arrived (SIGNATURE_*, ENVELOPE_*, DID_*:
 * refused before anything is judged or logged). Freshness and replay are facts handed to
 * gate 1 in the RequestProof, so a stale or replayed mutation is refused *and* logged.
 */
export class Authenticator {
  readonly #cache: NonceStore;

  constructor(
    /** When this process started, ms: older requests may be replays of ones it never saw. */
    private readonly startedAt: number,
    private readonly now: () => number,
    cache?: NonceStore,
  ) {
    this.#cache = cache ?? new ReplayCache(MAX_LIFETIME_MS + MAX_SKEW_MS);
  }

  authenticate(a: Arrived): Caller {
    const signed = verify(a);
    // An in-memory cache forgets at a restart, so a request created before it cannot be
    // shown fresh. That still leaves requests created in the last MAX_SKEW_MS before the
    // restart: the composition root therefore uses a durable store (SqliteNonceStore), and
    // the in-memory cache is for tests and embedding.
    const beforeStart = !this.#cache.durable && signed.created < this.startedAt - MAX_SKEW_MS;
    const replayed = this.#cache.seen(signed.nonce, signed.expires, this.now()) || beforeStart;
    return { actor: signed.actor, proof: { signatureValid: true, created: signed.created, expires: signed.expires, replayed } };
  }
}

/** Codes that already say "not authenticated" (401); any other refusal of the header becomes one. */
const AUTH_CODES: ReadonlySet<string> = new Set(['SIGNATURE_MALFORMED', 'SIGNATURE_INVALID', 'SIGNATURE_UNTRUSTED', 'ENVELOPE_MALFORMED', 'ENVELOPE_PAYLOAD_TYPE']);

// A garbled key id (DID_INVALID, KEY_*) or payload (INPUT_INVALID) in the Authorization
// header is still an authentication failure: the client is told so, with the original
// reason in the message, rather than a 400 that reads like a body problem.
function verify(a: Arrived): SignedRequest {
  try {
    return verifyRequest({ method: a.method, path: a.url, body: a.body, authorization: a.authorization });
  } catch (e) {
    if (!isNexusError(e) || AUTH_CODES.has(e.code)) throw e;
    throw new NexusError('SIGNATURE_UNTRUSTED', `the Authorization header does not authenticate the request: ${e.message}`, { field: '/headers/authorization', cause: e });
  }
}
