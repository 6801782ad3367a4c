import { API_SCHEMAS } from '@nexus-cos/sdk';
import type { FastifyRequest, FastifySchema, RouteShorthandOptions } from 'fastify';
import type { Caller } from '../../services/api.js';
import type { Services } from '../../services/index.js';
import type { Authenticator } from '../auth.js';
import { rawBody } from '../body.js';
import { ROUTE_ACTIONS, type MutatingRoute } from '../route-actions.js';
import { jsonSchema } from '../schema.js';

/** What route modules are given. */
export interface RouteContext {
  readonly services: Services;
  readonly auth: Authenticator;
}

const callers = new WeakMap<FastifyRequest, Caller>();

/** The authenticated caller of a signed route (set by its preValidation hook). */
export function callerOf(req: FastifyRequest): Caller {
  const c = callers.get(req);
  // Unreachable: signed() always installs the hook that sets it.
  if (c === undefined) throw new Error('route is not signed');
  return c;
}

const ERRORS = { '4xx': jsonSchema(API_SCHEMAS.ErrorBody), '5xx': jsonSchema(API_SCHEMAS.ErrorBody) };

/** Route schema from TypeBox schemas: body, params, querystring and the 2xx response. */
export function schema(parts: { body?: unknown; params?: unknown; querystring?: unknown; response?: unknown; status?: number; summary: string; signed?: boolean }): FastifySchema {
  return {
    summary: parts.summary,
    ...(parts.body === undefined ? {} : { body: jsonSchema(parts.body) }),
    ...(parts.params === undefined ? {} : { params: jsonSchema(parts.params) }),
    ...(parts.querystring === undefined ? {} : { querystring: jsonSchema(parts.querystring) }),
    response: { ...(parts.response === undefined ? {} : { [parts.status ?? 200]: jsonSchema(parts.response) }), ...ERRORS },
    ...(parts.signed === false ? {} : { security: [{ nexus: [] }] }),
  } as FastifySchema;
}

/**
 * Options of a route that needs a signed request: authentication runs before validation,
 * so nothing the body says is interpreted before its signature verified. `route` names a
 * mutating route's gated action (ROUTE_ACTIONS), kept in the route's config.
 */
export function signed(ctx: RouteContext, s: FastifySchema, route?: MutatingRoute): RouteShorthandOptions {
  return {
    schema: s,
    ...(route === undefined ? {} : { config: { action: ROUTE_ACTIONS[route] } }),
    preValidation: async (req) => {
      callers.set(req, ctx.auth.authenticate({ method: req.method, url: req.url, body: rawBody(req), authorization: req.headers.authorization }));
    },
  };
}
