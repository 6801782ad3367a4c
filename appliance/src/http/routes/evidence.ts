import { API_SCHEMAS, ConsistencyProof, InclusionProof, TrustedRoot } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import { schema, type RouteContext } from './context.js';

const S = API_SCHEMAS;

/** Public evidence: no signature needed, nothing changed, anyone may verify offline. */
export function evidenceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { ledgerRead } = ctx.services;
  app.get('/v1/trusted-root', { schema: schema({ summary: 'The log origin and platform key a verifier trusts', response: TrustedRoot, signed: false }) }, async () => ledgerRead.trustedRoot());
  app.get('/v1/checkpoint', { schema: schema({ summary: 'The latest signed checkpoint (C2SP signed note, text/plain)', signed: false }) }, async (_req, reply) => {
    reply.type('text/plain; charset=utf-8');
    return ledgerRead.checkpoint();
  });
  app.get('/v1/proofs/inclusion/:index', { schema: schema({ summary: 'Inclusion proof of one entry', params: S.InclusionParams, response: InclusionProof, signed: false }) }, async (req) =>
    ledgerRead.inclusion(Number((req.params as { index: string }).index)));
  app.get('/v1/proofs/consistency', { schema: schema({ summary: 'Consistency proof between two signed checkpoints', querystring: S.ConsistencyQuery, response: ConsistencyProof, signed: false }) }, async (req) => {
    const q = req.query as { old: string; new: string };
    return ledgerRead.consistency(Number(q.old), Number(q.new));
  });
}
