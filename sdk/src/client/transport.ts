import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { NexusError, isNexusError } from '../errors/index.js';
import { FILE_CHUNK } from '../files/file-chunks.js';
import { signRequest } from '../request/sign-request.js';
import type { SignedRequest } from '../schemas/request.js';
import type { Signer } from '../sign/signer.js';
import { DEFAULT_RETRY_DELAY_MS, DEFAULT_TIMEOUT_MS, MAX_RETRIES, type NexusClientOptions } from './options.js';
import { errorFromResponse, type RawResponse } from './response.js';

type Method = SignedRequest['method'];

const EMPTY = new Uint8Array(0);

/**
 * A request body streamed from a file (an exit bundle of many GiB): its size and SHA-256,
 * computed beforehand, so the signature binds the bytes without holding them. The file
 * must not change between hashing and sending; the server refuses it if it did.
 */
export interface FileBody {
  readonly file: string;
  readonly size: number;
  readonly sha256: Uint8Array;
}

type Body = Uint8Array | FileBody;
const bodySize = (b: Body): number => (b instanceof Uint8Array ? b.length : b.size);

/** Per call: which statuses count as an answer rather than an error. */
export interface SendOptions {
  /** Non-2xx statuses returned instead of thrown (`/healthz` answers 503 with a report). */
  readonly accept?: readonly number[];
  /** The body's media type (default `application/json`; an exit bundle is `application/x-tar`). */
  readonly contentType?: string;
  /** Extra headers for this request only (an import's secrets); the signature cannot be set. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Sends one request: signs it over the exact bytes sent, and retries only what is safe to
 * repeat. POST and PATCH are never retried: a lost answer does not prove the effect was
 * lost, and a second attempt could act twice. Each attempt is signed anew, since the
 * server refuses a replayed nonce.
 */
export class Transport {
  readonly #origin: string;
  readonly #prefix: string;
  readonly #signer: Signer | undefined;
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #delayMs: number;
  readonly #ttlMs: number | undefined;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(opts: NexusClientOptions) {
    const base = new URL(opts.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new NexusError('INPUT_INVALID', 'baseUrl must be an http: or https: URL', { field: '/baseUrl' });
    }
    if (base.search !== '' || base.hash !== '' || base.username !== '' || base.password !== '') {
      throw new NexusError('INPUT_INVALID', 'baseUrl takes no query, fragment or credentials', { field: '/baseUrl' });
    }
    this.#origin = base.origin;
    this.#prefix = base.pathname.replace(/\/+$/, '');
    this.#signer = opts.signer;
    this.#owned = opts.dispatcher === undefined;
    this.#dispatcher = opts.dispatcher ?? new Agent();
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retries = Math.min(Math.max(Math.trunc(opts.retries ?? MAX_RETRIES), 0), MAX_RETRIES);
    this.#delayMs = opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.#ttlMs = opts.requestTtlMs;
    const extra = Object.entries(opts.headers ?? {});
    if (extra.some(([k]) => k.toLowerCase() === 'authorization')) {
      throw new NexusError('INPUT_INVALID', 'the Authorization header is the signature; it cannot be set', { field: '/headers/authorization' });
    }
    this.#headers = Object.fromEntries(extra);
  }

  /** The signer's did:key, if any. */
  get actor(): string | undefined {
    return this.#signer?.publicKey.id;
  }

  async send(method: Method, path: string, body: Body | undefined, opts: SendOptions = {}): Promise<RawResponse> {
    const idempotent = method === 'GET' || method === 'DELETE';
    const attempts = idempotent ? this.#retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      let outcome: RawResponse | Error;
      try {
        outcome = await this.#once(method, path, body ?? EMPTY, opts.contentType, opts.headers);
      } catch (e) {
        if (isNexusError(e)) throw e;
        outcome = e instanceof Error ? e : new Error(String(e));
      }
      const retryable = outcome instanceof Error || (outcome.status === 503 && !(opts.accept ?? []).includes(503));
      if (retryable && attempt < attempts) {
        await sleep(this.#backoff(attempt));
        continue;
      }
      if (outcome instanceof Error) {
        throw new NexusError('HTTP_ERROR', `${method} ${path}: ${outcome.message} (after ${attempt} attempt${attempt === 1 ? '' : 's'})`, { cause: outcome });
      }
      if ((outcome.status >= 200 && outcome.status < 300) || (opts.accept ?? []).includes(outcome.status)) return outcome;
      throw errorFromResponse(method, path, outcome);
    }
  }

  /** Closes the connection pool this client made (a dispatcher passed in is the caller's). */
  async close(): Promise<void> {
    if (this.#owned) await this.#dispatcher.close();
  }

  async #once(method: Method, path: string, body: Body, contentType = 'application/json', extra: Readonly<Record<string, string>> = {}): Promise<RawResponse> {
    const target = `${this.#prefix}${path}`;
    const headers: Record<string, string> = { ...this.#headers, ...extra, accept: 'application/json, text/plain;q=0.9' };
    if (this.#signer !== undefined) {
      headers.authorization = await signRequest(this.#signer, {
        method, path: target, body, ...(this.#ttlMs === undefined ? {} : { ttlMs: this.#ttlMs }),
      });
    }
    const size = bodySize(body);
    if (size > 0) headers['content-type'] = contentType;
    if (!(body instanceof Uint8Array)) headers['content-length'] = String(size);
    const res = await request(`${this.#origin}${target}`, {
      method,
      headers,
      // The exact bytes that were signed; undefined for an empty body so none is framed. A
      // file streams, so memory stays flat however large it is.
      body: size === 0 ? null : body instanceof Uint8Array ? body : createReadStream(body.file, { highWaterMark: FILE_CHUNK }),
      dispatcher: this.#dispatcher,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
    const bytes = new Uint8Array(await res.body.arrayBuffer());
    const ct = res.headers['content-type'];
    return { status: res.statusCode, contentType: Array.isArray(ct) ? (ct[0] ?? '') : (ct ?? ''), body: bytes };
  }

  #backoff(attempt: number): number {
    // 1x, 2x, 4x the base, plus up to 25 % jitter so many clients do not retry in step.
    const base = this.#delayMs * 2 ** (attempt - 1);
    return base + Math.floor(Math.random() * base * 0.25);
  }
}
