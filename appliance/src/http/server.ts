import swagger from '@fastify/swagger';
import { type HealthReport } from '@nexus-cos/sdk';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger, LoggerOptions } from 'pino';
import { GATE_ERROR_CODES } from '../domain/gates/rules/index.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { NonceStore } from '../ports/nonce-store.js';
import type { Services } from '../services/index.js';
import { Authenticator } from './auth.js';
import { acceptJsonOnly } from './body.js';
import { errorReply } from './errors.js';
import { loggerSettings } from './logging.js';
import { Metrics } from './metrics.js';
import { domainRoutes } from './routes/domains.js';
import { mailRoutes } from './routes/mail.js';
import { evidenceRoutes } from './routes/evidence.js';
import { identityRoutes } from './routes/identities.js';
import { imvuRoutes } from './routes/imvus.js';
import { opsRoutes } from './routes/ops.js';
import { networkRoutes } from './routes/networks.js';
import { vmRoutes } from './routes/vms.js';
import { exitRoutes } from './routes/exit.js';

/** What the HTTP server is built from. */
export interface ServerDeps {
  readonly services: Services;
  readonly health: () => Promise<HealthReport> | HealthReport;
  /** When the process started, ms since the epoch: older signed requests are refused as possible replays. */
  readonly startedAt: number;
  /** pino options or a pino instance; redaction is forced on either way. Absent: no logging. */
  readonly logger?: LoggerOptions | Logger;
  /** Largest accepted body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** The clock the replay cache ages nonces by (default: the system clock). */
  readonly clock?: Clock;
  /** Where nonces are remembered (default: in memory; the appliance passes a durable store). */
  readonly nonces?: NonceStore;
}

/** One registered route. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  /** The gated action of a mutating route. */
  readonly action?: string;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const routeTables = new WeakMap<FastifyInstance, RouteInfo[]>();
const GATE_OF_CODE = new Map(Object.entries(GATE_ERROR_CODES).map(([gate, code]) => [code as string, gate]));

/** Every route registered on a server from buildServer (complete once it is ready). */
export function routesOf(app: FastifyInstance): readonly RouteInfo[] {
  return routeTables.get(app) ?? [];
}

/**
 * The appliance's HTTP API (fastify). Signed routes authenticate before validation;
 * mutations go through the services, which pass the gatekeeper; every error leaves as
 * `{code, message, field?}` with the status from errors.ts, never a stack.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const bodyLimit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    ...loggerSettings(deps.logger),
    bodyLimit,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    // Router-level refusals (a bad percent-encoding, an over-long parameter) bypass the error
    // handler; they get the same coded body as everything else.
    frameworkErrors: (error, _req, reply) => {
      const r = errorReply(error);
      // The untyped reply of a router error: its route has no response schema to check against.
      const raw = reply as unknown as { code(n: number): { type(t: string): { send(b: unknown): void } } };
      raw.code(r.status).type('application/json; charset=utf-8').send(r.body);
    },
    // Validation checks and never repairs: no coercion, no defaults, nothing removed.
    ajv: { customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  // Responses are plain JSON.stringify: the schemas document them but never reshape them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  acceptJsonOnly(app, bodyLimit);
  drainOnClose(app);

  const table: RouteInfo[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (r) => {
    const action = (r.config as { action?: string } | undefined)?.action;
    for (const method of [r.method].flat()) table.push({ method, url: r.url, ...(action === undefined ? {} : { action }) });
  });

  const metrics = new Metrics();
  app.addHook('onResponse', async (req, reply) => {
    metrics.observe(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.setErrorHandler(async (err, req, reply) => {
    const r = errorReply(err);
    if (r.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: r.body.code, field: r.body.field }, 'request refused');
    const gate = GATE_OF_CODE.get(r.body.code) ?? (r.body.code === 'POLICY_DENIED' ? 'policy' : undefined);
    if (gate !== undefined) metrics.denied(gate);
    reply.code(r.status).type('application/json; charset=utf-8');
    return r.body;
  });
  app.setNotFoundHandler(async (_req, reply) => {
    reply.code(404).type('application/json; charset=utf-8');
    return { code: 'NOT_FOUND', message: 'no such route' };
  });

  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Nexus COS appliance API', version: '1' },
      components: { securitySchemes: { nexus: { type: 'http', scheme: 'Nexus', description: 'A signed request envelope (spec/requests.md)' } } },
    },
  });
  const ctx = { services: deps.services, auth: new Authenticator(deps.startedAt, () => clock.now().getTime(), deps.nonces) };
  void app.register(async (r) => {
    identityRoutes(r, ctx);
    imvuRoutes(r, ctx);
    if (deps.services.domains !== undefined) domainRoutes(r, ctx, deps.services.domains);
    if (deps.services.mail !== undefined) mailRoutes(r, ctx, deps.services.mail);
    evidenceRoutes(r, ctx);
    opsRoutes(r, { ...ctx, health: deps.health, metrics });
    vmRoutes(r, ctx);
    networkRoutes(r, ctx);
    if (deps.services.exits !== undefined) exitRoutes(r, ctx, deps.services.exits, deps.services.holds);
  });
  return app;
}

/**
 * Graceful shutdown that actually ends: `close()` lets in-flight requests finish, but a
 * keep-alive connection that becomes idle after the first sweep would hold the server open
 * for the whole keep-alive timeout. While closing, every response says `Connection: close`
 * and idle connections are swept every 50 ms until the server has closed.
 */
function drainOnClose(app: FastifyInstance): void {
  let sweep: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    sweep.unref();
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (sweep !== undefined) void reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onClose', async () => {
    if (sweep !== undefined) clearInterval(sweep);
  });
}
