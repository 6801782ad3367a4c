import { NexusError, fromUtf8 } from '@nexus-cos/sdk';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const raw = new WeakMap<FastifyRequest, Uint8Array>();
const EMPTY = new Uint8Array(0);

/** The exact bytes of the request body, as signed (empty when there was none). */
export function rawBody(req: FastifyRequest): Uint8Array {
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

/**
 * Accepts raw bytes of `types` (an exit bundle: tar, or tar.gz) in the scope of `app` only
 * (fastify encapsulates parsers, so every other route still takes JSON alone). The bytes are
 * kept for the signature check, exactly as they arrived, and handed to the route unparsed.
 */
export function acceptBytes(app: FastifyInstance, types: readonly string[], bodyLimit: number): void {
  app.addContentTypeParser([...types], { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    const bytes = new Uint8Array(body as Buffer);
    raw.set(req, bytes);
    done(null, bytes);
  });
}
