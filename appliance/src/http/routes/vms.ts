import { COMPUTE_API_SCHEMAS as C, API_SCHEMAS, NexusError, type VmView } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import type { VmRecord } from '../../ports/compute-store.js';
import type { Compute } from '../../services/compute/index.js';
import { callerOf, schema, signed, type RouteContext } from './context.js';

type Params = { id: string; name: string };

/** The wire view of a VM: its declared spec and state, nothing of the host's layout. */
export function vmView(v: VmRecord): VmView {
  return { imvu: v.imvu, spec: { ...v.spec }, state: v.state, pool: v.pool, snapshots: [...v.snapshots], createdAt: v.createdAt };
}

/** The compute services, or NOT_FOUND when this appliance runs without a hypervisor. */
export function computeOf(ctx: RouteContext): Compute {
  const c = ctx.services.compute;
  if (c === undefined) throw new NexusError('NOT_FOUND', 'this appliance has no hypervisor configured', { field: '/compute' });
  return c;
}

/** VMs of an IMVU: create, list, read, start, stop, snapshot, destroy; each gated in the service. */
export function vmRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const p = (req: { params: unknown }): Params => req.params as Params;
  const vms = () => computeOf(ctx).vms;

  app.post('/v1/imvus/:id/vms', signed(ctx, schema({ summary: 'Create a VM from a declared spec (within quota, on tagged storage)', params: API_SCHEMAS.ImvuParams, body: C.VmSpec, response: C.Vm, status: 201 }), 'POST /v1/imvus/:id/vms'), async (req, reply) => {
    const v = await vms().create(callerOf(req), p(req).id, req.body);
    reply.code(201);
    return vmView(v);
  });
  app.get('/v1/imvus/:id/vms', signed(ctx, schema({ summary: 'List the IMVU\u2019s VMs', params: API_SCHEMAS.ImvuParams, response: C.VmList })), async (req) =>
    vms().list(callerOf(req), p(req).id).map(vmView));
  app.get('/v1/imvus/:id/vms/:name', signed(ctx, schema({ summary: 'Read a VM', params: C.VmParams, response: C.Vm })), async (req) =>
    vmView(vms().get(callerOf(req), p(req).id, p(req).name)));
  app.post('/v1/imvus/:id/vms/:name/start', signed(ctx, schema({ summary: 'Start a VM (its meter is attached)', params: C.VmParams, response: C.Vm }), 'POST /v1/imvus/:id/vms/:name/start'), async (req) =>
    vmView(await vms().start(callerOf(req), p(req).id, p(req).name)));
  app.post('/v1/imvus/:id/vms/:name/stop', signed(ctx, schema({ summary: 'Stop a VM (ACPI, or force)', params: C.VmParams, body: C.StopVm, response: C.Vm }), 'POST /v1/imvus/:id/vms/:name/stop'), async (req) =>
    vmView(await vms().stop(callerOf(req), p(req).id, p(req).name, (req.body as { force?: boolean }).force ?? false)));
  app.post('/v1/imvus/:id/vms/:name/snapshots', signed(ctx, schema({ summary: 'Take an internal qcow2 snapshot', params: C.VmParams, body: C.SnapshotVm, response: C.Vm }), 'POST /v1/imvus/:id/vms/:name/snapshots'), async (req) =>
    vmView(await vms().snapshot(callerOf(req), p(req).id, p(req).name, (req.body as { snapshot: string }).snapshot)));
  app.delete('/v1/imvus/:id/vms/:name', signed(ctx, schema({ summary: 'Destroy a VM and its disk (billed to the end)', params: C.VmParams, status: 204 }), 'DELETE /v1/imvus/:id/vms/:name'), async (req, reply) => {
    await vms().destroy(callerOf(req), p(req).id, p(req).name);
    reply.code(204);
  });
}
