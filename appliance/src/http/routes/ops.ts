import { API_SCHEMAS, type HealthReport } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';
import { schema, type RouteContext } from './context.js';

/** What the operations routes read. */
export interface OpsContext extends RouteContext {
  readonly health: () => Promise<HealthReport> | HealthReport;
  readonly metrics: Metrics;
}

/** Health, metrics and the OpenAPI document: public, read-only. */
export function opsRoutes(app: FastifyInstance, ctx: OpsContext): void {
  // Anything but `ok` answers 503 with the same report, so a load balancer needs no parsing.
  app.get('/healthz', { schema: schema({ summary: 'Each component\u2019s health (503 unless all are ok)', response: API_SCHEMAS.Health, signed: false }) }, async (_req, reply) => {
    const report = await ctx.health();
    reply.code(report.status === 'ok' ? 200 : 503);
    return report;
  });
  app.get('/metrics', { schema: schema({ summary: 'Prometheus text-format metrics', signed: false }) }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return ctx.metrics.render(ctx.services.ledgerRead.size());
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
