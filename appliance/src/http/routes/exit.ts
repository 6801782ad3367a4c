import { Readable, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { API_SCHEMAS, EXIT_API_SCHEMAS } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import type { Exits, Holds } from '../../services/exit/index.js';
import { errorReply } from '../errors.js';
import { jsonSchema } from '../schema.js';
import { callerOf, schema, signed, type RouteContext } from './context.js';

const S = EXIT_API_SCHEMAS;
type Id = { id: string };

/** Response headers of an exit: the size and member count a client shows progress against. */
export const EXIT_SIZE_HEADER = 'x-nexus-exit-size';
export const EXIT_FILES_HEADER = 'x-nexus-exit-files';

/**
 * The exit request and the operator's legal holds. The exit is judged (gates 2 and 15) and
 * audited before the first byte is sent; the bundle then streams with backpressure, so
 * memory stays flat whatever the disks weigh. A hold refuses with gate 15's code, and the
 * owner is shown the hold: its signed reason, its signer and the envelope's digest.
 */
export function exitRoutes(app: FastifyInstance, ctx: RouteContext, exits: Exits, holds: Holds): void {
  const id = (req: { params: unknown }): string => (req.params as Id).id;
  const exitSchema = schema({ summary: 'Owner: export the IMVU as a signed exit bundle (tar, or gzip with ?gzip=1), streamed', params: API_SCHEMAS.ImvuParams, querystring: S.ExitQuery });
  // A refusal under a legal hold carries the hold; the OpenAPI document says so.
  (exitSchema.response as Record<string, unknown>)['403'] = jsonSchema(S.HeldError);
  app.post('/v1/imvus/:id/exit', signed(ctx, exitSchema, 'POST /v1/imvus/:id/exit'), async (req, reply) => {
    const c = callerOf(req);
    const gzip = (req.query as { gzip?: string }).gzip === '1';
    let planned;
    try {
      planned = await exits.start(c, id(req), gzip);
    } catch (e) {
      const held = exits.held(c, id(req), e);
      if (held === undefined) throw e;
      const r = errorReply(held.error);
      reply.code(r.status).type('application/json; charset=utf-8');
      return { ...r.body, hold: held.hold };
    }
    // The tar's size (before compression) and member count, sent before any byte of it,
    // when they are known without copying data (see plan.ts).
    if (planned.bytes !== undefined) reply.header(EXIT_SIZE_HEADER, String(planned.bytes));
    if (planned.files !== undefined) reply.header(EXIT_FILES_HEADER, String(planned.files));
    reply.type(gzip ? 'application/gzip' : 'application/x-tar');
    const tar = Readable.from(planned.stream, { objectMode: false });
    // A failure mid-stream destroys the response: the client sees a cut, never a clean end.
    return reply.send(gzip ? pipeline(tar, createGzip(), () => undefined) : tar);
  });
  app.post('/v1/imvus/:id/exit/hold', signed(ctx, schema({ summary: 'Operator: hold the IMVU\u2019s exit, with a LegalHold the operator signed', params: API_SCHEMAS.ImvuParams, body: S.PlaceHold, response: S.HoldStatus, status: 201 }), 'POST /v1/imvus/:id/exit/hold'), async (req, reply) => {
    reply.code(201);
    return holds.place(callerOf(req), id(req), (req.body as { hold: unknown }).hold);
  });
  app.post('/v1/imvus/:id/exit/release', signed(ctx, schema({ summary: 'Operator: lift the legal hold, with a reason', params: API_SCHEMAS.ImvuParams, body: API_SCHEMAS.WithReason, response: S.HoldStatus }), 'POST /v1/imvus/:id/exit/release'), async (req) =>
    holds.release(callerOf(req), id(req), (req.body as { reason: string }).reason));
}
