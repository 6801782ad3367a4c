import type { ActionName } from '../domain/gates/actions.js';

/**
 * Every mutating route and the gated action it performs. A test proves this covers exactly
 * the registered POST/PUT/PATCH/DELETE routes, so no route can change state unjudged.
 */
export const ROUTE_ACTIONS = {
  'POST /v1/identities': 'identity.register',
  'POST /v1/identities/rotate': 'identity.rotate',
  'POST /v1/identities/revoke': 'identity.revoke',
  'POST /v1/identities/recovery': 'identity.recovery.add',
  'POST /v1/imvus': 'imvu.create',
  'PATCH /v1/imvus/:id': 'imvu.update',
  'POST /v1/imvus/:id/suspend': 'imvu.suspend',
  'POST /v1/imvus/:id/resume': 'imvu.resume',
  'POST /v1/imvus/:id/quota': 'quota.change',
  'POST /v1/imvus/:id/consents': 'consent.grant',
  'DELETE /v1/imvus/:id/consents/:purpose': 'consent.withdraw',
  'POST /v1/imvus/:id/domains': 'domain.claim',
  'POST /v1/imvus/:id/domains/:domain/verify': 'domain.bind',
  'PATCH /v1/imvus/:id/domains/:domain/rrsets': 'dns.change',
  'POST /v1/imvus/:id/domains/:domain/reconcile': 'dns.change',
  'POST /v1/imvus/:id/domains/:domain/transfer': 'domain.transfer',
  'DELETE /v1/imvus/:id/domains/:domain': 'domain.unbind',
  'POST /v1/imvus/:id/mail/:domain': 'mail.enable',
  'POST /v1/imvus/:id/mailboxes': 'mailbox.create',
  'POST /v1/imvus/:id/vms': 'vm.create',
  'POST /v1/imvus/:id/vms/:name/start': 'vm.start',
  'POST /v1/imvus/:id/vms/:name/stop': 'vm.stop',
  'POST /v1/imvus/:id/vms/:name/snapshots': 'vm.snapshot',
  'DELETE /v1/imvus/:id/vms/:name': 'vm.destroy',
  'PUT /v1/imvus/:id/network': 'network.create',
  'POST /v1/imvus/:id/network/change': 'route.change',
  'POST /v1/imvus/:id/exit': 'exit.start',
  'POST /v1/imvus/:id/exit/hold': 'exit.hold',
  'POST /v1/imvus/:id/exit/release': 'exit.release',
} as const satisfies Record<string, ActionName>;

/** `METHOD /path/:param`, as ROUTE_ACTIONS keys it. */
export type MutatingRoute = keyof typeof ROUTE_ACTIONS;

/** Methods that change state. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The gated action a mutating route performs (ROUTE_ACTIONS). */
    action?: string;
  }
}
