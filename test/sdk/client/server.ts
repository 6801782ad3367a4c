import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyRequest, type SignedRequest } from '../../../sdk/src/index.js';

/** One request as the fake appliance saw it, with its verified signature (if it had one). */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: Buffer;
  readonly signed: SignedRequest | undefined;
  readonly signatureError: unknown;
}

/** What the fake answers: status, body (object → JSON) and content type. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly type?: string;
  /** Destroy the socket instead of answering (a network failure). */
  readonly reset?: boolean;
}

/** A real HTTP server on 127.0.0.1 that verifies each signature like the appliance does. */
export class FakeAppliance {
  readonly seen: Seen[] = [];
  #answers: Answer[] = [];
  #fallback: Answer = { status: 200, body: {} };
  readonly #server: Server;

  private constructor() {
    this.#server = createServer((req, res) => {
      void readBody(req).then((body) => {
        let signed: SignedRequest | undefined;
        let signatureError: unknown;
        if (req.headers.authorization !== undefined) {
          try {
            signed = verifyRequest({ method: req.method ?? '', path: req.url ?? '', body, authorization: req.headers.authorization });
          } catch (e) {
            signatureError = e;
          }
        }
        this.seen.push({ method: req.method ?? '', url: req.url ?? '', body, signed, signatureError });
        const a = this.#answers.shift() ?? this.#fallback;
        if (a.reset === true) {
          req.socket.destroy();
          return;
        }
        const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
        res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' });
        res.end(text);
      });
    });
  }

  static async start(): Promise<FakeAppliance> {
    const f = new FakeAppliance();
    await new Promise<void>((resolve) => f.#server.listen(0, '127.0.0.1', resolve));
    return f;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Queue answers for the next requests; later requests get `fallback`. */
  answer(...answers: Answer[]): this {
    this.#answers.push(...answers);
    return this;
  }

  fallback(a: Answer): this {
    this.#fallback = a;
    return this;
  }

  reset(): void {
    this.seen.length = 0;
    this.#answers = [];
    this.#fallback = { status: 200, body: {} };
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
