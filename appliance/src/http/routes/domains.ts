import { API_SCHEMAS, DNS_API_SCHEMAS, Envelope } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import type { Domains } from '../../services/domains.js';
import { callerOf, schema, signed, type RouteContext } from './context.js';

const S = DNS_API_SCHEMAS;
type P = { id: string; domain: string };

/** Domains and zones of an IMVU: claim, verify and bind, RRset changes, drift, export, transfer, unbind. */
export function domainRoutes(app: FastifyInstance, ctx: RouteContext, domains: Domains): void {
  const p = (req: { params: unknown }): P => req.params as P;
  const base = '/v1/imvus/:id/domains';

  app.post(base, signed(ctx, schema({ summary: 'Claim a domain: returns the TXT challenge to publish', params: API_SCHEMAS.ImvuParams, body: S.ClaimDomain, response: S.DomainChallenge, status: 201 }), 'POST /v1/imvus/:id/domains'), async (req, reply) => {
    reply.code(201);
    return domains.claim(callerOf(req), p(req).id, (req.body as { domain: string }).domain);
  });
  app.get(base, signed(ctx, schema({ summary: 'The IMVU\u2019s bound domains', params: API_SCHEMAS.ImvuParams, response: S.DomainList })), async (req) => domains.list(callerOf(req), p(req).id));
  app.post(`${base}/:domain/verify`, signed(ctx, schema({ summary: 'Verify the TXT challenge and bind: the zone is served, DNSSEC-signed; returns its DS', params: S.DomainParams, response: S.Domain }), 'POST /v1/imvus/:id/domains/:domain/verify'), async (req) =>
    domains.bind(callerOf(req), p(req).id, p(req).domain));
  app.get(`${base}/:domain`, signed(ctx, schema({ summary: 'A bound domain: its recorded RRsets and DNSSEC material', params: S.DomainParams, response: S.Domain })), async (req) =>
    domains.get(callerOf(req), p(req).id, p(req).domain));
  app.patch(`${base}/:domain/rrsets`, signed(ctx, schema({ summary: 'Replace or delete RRsets, atomically', params: S.DomainParams, body: S.ChangeRRsets, response: S.Domain }), 'PATCH /v1/imvus/:id/domains/:domain/rrsets'), async (req) =>
    domains.change(callerOf(req), p(req).id, p(req).domain, (req.body as { rrsets: unknown[] }).rrsets));
  app.get(`${base}/:domain/drift`, signed(ctx, schema({ summary: 'Compare what knotd serves with what the ledger recorded', params: S.DomainParams, response: S.DriftReport })), async (req) =>
    domains.drift(callerOf(req), p(req).id, p(req).domain));
  app.post(`${base}/:domain/reconcile`, signed(ctx, schema({ summary: 'Restore the recorded state after drift (logged as a dns_change)', params: S.DomainParams, response: S.Domain }), 'POST /v1/imvus/:id/domains/:domain/reconcile'), async (req) =>
    domains.reconcile(callerOf(req), p(req).id, p(req).domain));
  app.get(`${base}/:domain/export`, signed(ctx, schema({ summary: 'The zone as an RFC 1035 master file, with DNSKEY and DS', params: S.DomainParams, response: S.ZoneExport })), async (req) =>
    domains.export(callerOf(req), p(req).id, p(req).domain));
  app.post(`${base}/:domain/transfer`, signed(ctx, schema({ summary: 'A platform-signed authorization releasing the domain to another operator', params: S.DomainParams, body: S.TransferDomain, response: Envelope }), 'POST /v1/imvus/:id/domains/:domain/transfer'), async (req) =>
    domains.transfer(callerOf(req), p(req).id, p(req).domain, (req.body as { to: string }).to));
  app.delete(`${base}/:domain`, signed(ctx, schema({ summary: 'Unbind: stop serving and remove the zone, its journal and keys', params: S.DomainParams }), 'DELETE /v1/imvus/:id/domains/:domain'), async (req, reply) => {
    await domains.unbind(callerOf(req), p(req).id, p(req).domain);
    reply.code(204);
  });
}
