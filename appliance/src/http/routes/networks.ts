import { COMPUTE_API_SCHEMAS as C, API_SCHEMAS } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import { callerOf, schema, signed, type RouteContext } from './context.js';
import { computeOf } from './vms.js';

type Declare = { policy: unknown; reason?: string };

/** An IMVU's network: declared by its owner, changed by the operator only with a reason, checked for drift. */
export function networkRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const id = (req: { params: unknown }): string => (req.params as { id: string }).id;
  const nets = () => computeOf(ctx).networks;

  app.put('/v1/imvus/:id/network', signed(ctx, schema({ summary: 'Declare the IMVU network\u2019s rules (noticed, applied, read back)', params: API_SCHEMAS.ImvuParams, body: C.DeclareNetwork, response: C.Network }), 'PUT /v1/imvus/:id/network'), async (req) =>
    nets().declare(callerOf(req), id(req), req.body as Declare, 'network.create'));
  app.post('/v1/imvus/:id/network/change', signed(ctx, schema({ summary: 'Operator: change the rules (reason and notice first)', params: API_SCHEMAS.ImvuParams, body: C.DeclareNetwork, response: C.Network }), 'POST /v1/imvus/:id/network/change'), async (req) =>
    nets().declare(callerOf(req), id(req), req.body as Declare, 'route.change'));
  app.get('/v1/imvus/:id/network/check', signed(ctx, schema({ summary: 'Compare the rules the kernel holds with the declared ones', params: API_SCHEMAS.ImvuParams, response: C.NetworkCheck })), async (req) =>
    nets().check(callerOf(req), id(req)));
}
