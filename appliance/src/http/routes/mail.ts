import { API_SCHEMAS, MAIL_API_SCHEMAS } from '@nexus-cos/sdk';
import type { FastifyInstance } from 'fastify';
import type { MailService } from '../../services/mail.js';
import { callerOf, schema, signed, type RouteContext } from './context.js';

const S = MAIL_API_SCHEMAS;

/** Mail: enable a bound domain (records through the gated DNS service), create mailboxes. */
export function mailRoutes(app: FastifyInstance, ctx: RouteContext, mail: MailService): void {
  app.post('/v1/imvus/:id/mail/:domain', signed(ctx, schema({ summary: 'Enable mail: DKIM key, then MX/SPF/DKIM/DMARC published through gate 7, then gate 8', params: S.MailDomainParams, response: S.MailEnabled }), 'POST /v1/imvus/:id/mail/:domain'), async (req) => {
    const p = req.params as { id: string; domain: string };
    return mail.enable(callerOf(req), p.id, p.domain);
  });
  app.post('/v1/imvus/:id/mailboxes', signed(ctx, schema({ summary: 'Create a mailbox on a mail-enabled domain (gate 8)', params: API_SCHEMAS.ImvuParams, body: S.CreateMailbox, response: S.Mailbox, status: 201 }), 'POST /v1/imvus/:id/mailboxes'), async (req, reply) => {
    const b = req.body as { address: string; password: string };
    reply.code(201);
    return mail.createMailbox(callerOf(req), (req.params as { id: string }).id, b.address, b.password);
  });
}
