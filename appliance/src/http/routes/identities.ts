import { API_SCHEMAS, Identity, type Envelope } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import type { RegisterIdentity } from '../../services/api.js';
import { callerOf, schema, signed, type RouteContext } from './context.js';

const S = API_SCHEMAS;

/** Identities: register (proof of possession), rotate, revoke, recovery keys, read. */
export function identityRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { identities } = ctx.services;
  app.post('/v1/identities', signed(ctx, schema({ summary: 'Register the signing key as an identity', body: S.RegisterIdentity, response: Identity, status: 201 }), 'POST /v1/identities'), async (req, reply) => {
    reply.code(201);
    return identities.register(callerOf(req), req.body as RegisterIdentity);
  });
  app.post('/v1/identities/rotate', signed(ctx, schema({ summary: 'Rotate a key (KeyRotation signed by the old or a recovery key)', body: S.RotateKey, response: Identity }), 'POST /v1/identities/rotate'), async (req) =>
    identities.rotate(callerOf(req), (req.body as { rotation: Envelope }).rotation));
  app.post('/v1/identities/revoke', signed(ctx, schema({ summary: 'Revoke the signing key', body: S.RevokeKey, response: Identity }), 'POST /v1/identities/revoke'), async (req) =>
    identities.revoke(callerOf(req), (req.body as { reason: string }).reason));
  app.post('/v1/identities/recovery', signed(ctx, schema({ summary: 'Add a recovery key to the signing key', body: S.AddRecoveryKey, response: Identity }), 'POST /v1/identities/recovery'), async (req) =>
    identities.addRecovery(callerOf(req), (req.body as { recoveryKey: string }).recoveryKey));
  app.get('/v1/identities/:did', signed(ctx, schema({ summary: 'Read an identity and its key status', params: S.IdentityParams, response: Identity })), async (req) =>
    identities.read(callerOf(req), (req.params as { did: string }).did));
}
