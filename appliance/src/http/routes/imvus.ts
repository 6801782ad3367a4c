import { API_SCHEMAS, Imvu, LedgerSlice, type Imvu as ImvuT } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import type { CreateImvu } from '../../services/api.js';
import { callerOf, schema, signed, type RouteContext } from './context.js';

const S = API_SCHEMAS;
type Id = { id: string };

/** IMVUs: create, read, list, update, operator suspend/resume/quota, consents, ledger slice. */
export function imvuRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { imvus, ledgerRead } = ctx.services;
  const id = (req: { params: unknown }): string => (req.params as Id).id;
  const reason = (req: { body: unknown }): string => (req.body as { reason?: string }).reason ?? '';

  app.post('/v1/imvus', signed(ctx, schema({ summary: 'Create an IMVU owned by the signer', body: S.CreateImvu, response: Imvu, status: 201 }), 'POST /v1/imvus'), async (req, reply) => {
    reply.code(201);
    return imvus.create(callerOf(req), req.body as CreateImvu);
  });
  app.get('/v1/imvus', signed(ctx, schema({ summary: 'List the IMVUs the signer may see', response: S.ImvuList })), async (req) => imvus.list(callerOf(req)));
  app.get('/v1/imvus/:id', signed(ctx, schema({ summary: 'Read an IMVU', params: S.ImvuParams, response: Imvu })), async (req) => imvus.get(callerOf(req), id(req)));
  app.patch('/v1/imvus/:id', signed(ctx, schema({ summary: 'Change an IMVU\u2019s jurisdiction', params: S.ImvuParams, body: S.UpdateImvu, response: Imvu }), 'PATCH /v1/imvus/:id'), async (req) =>
    imvus.update(callerOf(req), id(req), req.body as { jurisdiction?: string }));
  app.post('/v1/imvus/:id/suspend', signed(ctx, schema({ summary: 'Operator: suspend (reason and notice first)', params: S.ImvuParams, body: S.WithReason, response: Imvu }), 'POST /v1/imvus/:id/suspend'), async (req) =>
    imvus.suspend(callerOf(req), id(req), reason(req)));
  app.post('/v1/imvus/:id/resume', signed(ctx, schema({ summary: 'Operator: lift a suspension (reason and notice first)', params: S.ImvuParams, body: S.WithReason, response: Imvu }), 'POST /v1/imvus/:id/resume'), async (req) =>
    imvus.resume(callerOf(req), id(req), reason(req)));
  app.post('/v1/imvus/:id/quota', signed(ctx, schema({ summary: 'Operator: change quotas (reason and notice first)', params: S.ImvuParams, body: S.ChangeQuota, response: Imvu }), 'POST /v1/imvus/:id/quota'), async (req) =>
    imvus.changeQuota(callerOf(req), id(req), (req.body as { quotas: ImvuT['quotas'] }).quotas, reason(req)));
  app.post('/v1/imvus/:id/consents', signed(ctx, schema({ summary: 'Record a consent for a purpose', params: S.ImvuParams, body: S.GrantConsent, response: Imvu }), 'POST /v1/imvus/:id/consents'), async (req) =>
    imvus.grantConsent(callerOf(req), id(req), (req.body as { purpose: string }).purpose));
  app.delete('/v1/imvus/:id/consents/:purpose', signed(ctx, schema({ summary: 'Withdraw the consent for a purpose', params: S.ConsentParams, response: Imvu }), 'DELETE /v1/imvus/:id/consents/:purpose'), async (req) =>
    imvus.withdrawConsent(callerOf(req), id(req), (req.params as { purpose: string }).purpose));
  app.get('/v1/imvus/:id/ledger', signed(ctx, schema({ summary: 'The IMVU\u2019s complete ledger chain with its head proof', params: S.ImvuParams, response: LedgerSlice })), async (req) =>
    ledgerRead.slice(callerOf(req), id(req)));
}
