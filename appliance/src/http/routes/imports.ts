import { Type } from '@sinclair/typebox';
import { IMPORT_SECRETS_HEADER, NexusError, decodeImportSecrets } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import { acceptStagedBytes, isStagedBody } from '../body.js';
import { callerOf, schema, signed, type RouteContext } from './context.js';

/** An exit bundle as the import route takes it: tar, or gzip-compressed tar. */
export const BUNDLE_TYPES = ['application/x-tar', 'application/gzip'] as const;
/**
 * The largest bundle one request may carry. It is streamed to a file in the import staging
 * directory, never held in memory, so this bounds disk use, not memory (1 TiB).
 */
export const IMPORT_BODY_LIMIT = 1024 ** 4;

const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const ImportQuery = Type.Object({ manifest: Hex64, secrets: Type.Optional(Hex64) }, { additionalProperties: false });
const EvidenceParams = Type.Object({ id: Type.String({ pattern: '^IMVU-[0-9]{3,12}$' }), digest: Hex64 }, { additionalProperties: false });

/**
 * Import (spec/exit-bundle.md §8): the owner POSTs the bundle's bytes, signed, naming its
 * manifest digest in the query; and the evidence an IMVU's chain names, by digest.
 */
export function importRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { imports, evidence } = ctx.services;
  void app.register(async (scope) => {
    acceptStagedBytes(scope, BUNDLE_TYPES, () => imports.staging, IMPORT_BODY_LIMIT);
    scope.post('/v1/imports', signed(ctx, schema({ summary: 'Import an IMVU from its exit bundle (owner-signed)', querystring: ImportQuery, status: 201 }), 'POST /v1/imports'), async (req, reply) => {
      if (!isStagedBody(req.body)) throw new NexusError('INPUT_INVALID', `the body is an exit bundle (${BUNDLE_TYPES.join(' or ')})`, { field: '/body' });
      const q = req.query as { manifest: string; secrets?: string };
      // The opened secrets ride in a header the signed query names by digest (never logged).
      const header = req.headers[IMPORT_SECRETS_HEADER];
      const secrets = q.secrets === undefined ? undefined : decodeImportSecrets(typeof header === 'string' ? header : undefined, q.secrets);
      const report = await imports.import(callerOf(req), { manifest: q.manifest }, { file: req.body.file }, undefined, secrets);
      reply.code(201);
      return report;
    });
  });
  app.get('/v1/imvus/:id/evidence/:digest', signed(ctx, schema({ summary: 'A document the IMVU\u2019s chain names (imported history included)', params: EvidenceParams })), async (req, reply) => {
    const p = req.params as { id: string; digest: string };
    const doc = evidence.document(callerOf(req), p.id, p.digest);
    reply.type(doc.mediaType);
    return Buffer.from(doc.bytes);
  });
}
