import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { NexusError, fromHex, fromUtf8, sha256Stream, type BodyDigest } from '@nexus-cos/sdk';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FileSink } from '../adapters/fs/file-sink.js';

const raw = new WeakMap<FastifyRequest, Uint8Array | BodyDigest>();
const EMPTY = new Uint8Array(0);

/** The exact bytes of the request body, as signed (empty when there was none), or their digest when staged to a file. */
export function rawBody(req: FastifyRequest): Uint8Array | BodyDigest {
  return raw.get(req) ?? EMPTY;
}

/**
 * JSON is the only body the API takes (others: 415 from fastify). The bytes are kept for
 * the signature check, which covers exactly what arrived; the parse is strict UTF-8 and
 * plain JSON.parse, and nothing is coerced or defaulted afterwards (validation only checks).
 */
export function acceptJsonOnly(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    const bytes = new Uint8Array(body as Buffer);
    raw.set(req, bytes);
    if (bytes.length === 0) {
      done(new NexusError('INPUT_INVALID', 'the JSON body is empty', { field: '/body' }), undefined);
      return;
    }
    try {
      done(null, JSON.parse(fromUtf8(bytes)) as unknown);
    } catch {
      done(new NexusError('INPUT_INVALID', 'the body is not JSON (or not UTF-8)', { field: '/body' }), undefined);
    }
  });
}

/** A request body streamed into a file: the route reads it from there, never from memory. */
export interface StagedBody {
  readonly file: string;
  readonly size: number;
}

/** Whether a parsed body is a staged file (the route's check before it reads one). */
export const isStagedBody = (b: unknown): b is StagedBody => typeof b === 'object' && b !== null && typeof (b as StagedBody).file === 'string';

/**
 * Accepts raw bytes of `types` (an exit bundle of many GiB) in the scope of `app` only,
 * streamed into a new 0600 file under `dir()` and hashed on the way, so memory stays flat.
 * The signature check gets the digest, the route `{ file, size }`. More than `limit` bytes
 * is refused (`BODY_TOO_LARGE`) as soon as the header or the stream shows it. The file is
 * removed before the response is sent, whatever it is (a refused signature included).
 */
export function acceptStagedBytes(app: FastifyInstance, types: readonly string[], dir: () => string, limit: number): void {
  const staged = new WeakMap<FastifyRequest, string>();
  app.addContentTypeParser([...types], (req, payload, done) => {
    const file = join(dir(), `body-${randomBytes(12).toString('hex')}.part`);
    staged.set(req, file);
    stage(payload, file, Number(req.headers['content-length'] ?? 0), limit).then((r) => {
      raw.set(req, { sha256: r.sha256 });
      done(null, { file, size: r.size } satisfies StagedBody);
    }, (e: unknown) => done(e instanceof Error ? e : new Error(String(e)), undefined));
  });
  const remove = async (req: FastifyRequest): Promise<void> => {
    const file = staged.get(req);
    if (file !== undefined) await rm(file, { force: true });
  };
  // onSend: before the answer leaves, so no later request (or test) can see the file; every
  // answer passes here, a refused signature included.
  app.addHook('onSend', async (req, _reply, payload) => {
    await remove(req);
    return payload;
  });
  app.addHook('onRequestAbort', remove);
}

async function stage(payload: Readable, file: string, declared: number, limit: number): Promise<{ size: number; sha256: Uint8Array }> {
  const tooLarge = () => new NexusError('BODY_TOO_LARGE', `the body is larger than ${limit} bytes`, { field: '/body' });
  if (declared > limit) throw tooLarge();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const out = new FileSink(file);
  const h = sha256Stream();
  let size = 0;
  try {
    for await (const chunk of payload as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      h.update(chunk);
      await out.write(chunk);
    }
    await out.end();
    return { size, sha256: fromHex(h.hex()) };
  } catch (e) {
    out.abort();
    throw e;
  }
}
