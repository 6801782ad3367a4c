// One request per registered action that every applicable gate passes, with the facts it
// needs: the "happy path" the rule, evaluator and gatekeeper tests share.
import { ACTIONS, type ActionName } from '../../../appliance/src/domain/gates/actions.js';
import type { GateFacts, GateRequest } from '../../../appliance/src/domain/gates/types.js';
import { DIGEST, ID, facts, imvuFacts, request } from './fixture.js';

/** Every registered action. */
export const ALL = Object.keys(ACTIONS) as ActionName[];
export const REASON = 'abuse report #1234 confirmed';
const VM = { vcpus: 2, memoryMiB: 2048, diskGiB: 20, quota: { vcpus: 4, memoryMiB: 8192, diskGiB: 100 }, diskFormat: 'qcow2' };
const KEYCHANGE = { signedBy: 'old', signatureValid: true };
const NEW = { imvu: 'IMVU-043', resource: 'imvu:IMVU-043' } as const;
const noImvu = (r: GateRequest): GateRequest => {
  const { imvu: _omit, ...rest } = r;
  return rest;
};

/** One request per action that every applicable gate should pass: the table's "happy path". */
export const GOOD: Record<ActionName, { req: GateRequest; facts?: GateFacts }> = {
  'identity.register': { req: noImvu(request('identity.register', { actor: ID.newcomer, resource: `identity:${ID.newcomer}`, jurisdiction: 'DE', params: { consents: ['identity.attributes'] } })) },
  'identity.rotate': { req: noImvu(request('identity.rotate', { resource: `identity:${ID.owner}`, params: KEYCHANGE })) },
  'identity.revoke': { req: noImvu(request('identity.revoke', { resource: `identity:${ID.owner}`, params: KEYCHANGE })) },
  'identity.recovery.add': { req: noImvu(request('identity.recovery.add', { resource: `identity:${ID.owner}`, params: KEYCHANGE })) },
  'delegation.grant': { req: request('delegation.grant') },
  'delegation.revoke': { req: request('delegation.revoke') },
  'imvu.create': { req: request('imvu.create', { ...NEW, jurisdiction: 'DE-BY', storagePool: 'pool-de', params: { owner: ID.owner, consents: ['identity.attributes'] } }) },
  'imvu.import': { req: request('imvu.import', { ...NEW, jurisdiction: 'DE-BY', storagePool: 'pool-de', params: { owner: ID.owner, consents: ['identity.attributes'], manifest: 'ab'.repeat(32), billable: ['vm:IMVU-042/web-1'], compute: { vms: 1, vcpus: 2, memoryMiB: 2048, diskGiB: 20 }, quota: { vms: 4, vcpus: 4, memoryMiB: 8192, diskGiB: 100 } } }) },
  'imvu.update': { req: request('imvu.update', { storagePool: 'pool-by' }) },
  'imvu.suspend': { req: request('imvu.suspend', { actor: ID.operator, reason: REASON }) },
  'imvu.resume': { req: request('imvu.resume', { actor: ID.operator, reason: REASON }) },
  'quota.change': { req: request('quota.change', { actor: ID.operator, reason: REASON }) },
  'consent.grant': { req: request('consent.grant') },
  'consent.withdraw': { req: request('consent.withdraw') },
  'ratecard.publish': { req: request('ratecard.publish', { params: { split: { creatorBps: 5500, platformBps: 4500 } } }) },
  'revenue.report': { req: request('revenue.report', { params: { gross: '101', creator: '56', platform: '45' } }) },
  'statement.issue': { req: request('statement.issue', { actor: ID.platform, params: { split: { creatorBps: 5500, platformBps: 4500 }, gross: '101', creator: '56', platform: '45' } }) },
  'domain.claim': { req: request('domain.claim', { resource: 'domain:new.example', params: { domain: 'new.example' } }) },
  'domain.bind': { req: request('domain.bind', { resource: 'domain:example.org', storagePool: 'pool-by', params: { domain: 'example.org' } }) },
  'dns.change': { req: request('dns.change', { actor: ID.delegate, resource: 'zone:example.org', params: { zone: 'example.org', records: [{ name: 'www.example.org.', type: 'A' }] } }) },
  'domain.unbind': { req: request('domain.unbind', { resource: 'domain:example.org', params: { domain: 'example.org' } }) },
  'domain.transfer': { req: request('domain.transfer', { resource: 'domain:example.org', params: { domain: 'example.org', to: 'ns.other-operator.example' } }) },
  'mail.enable': { req: request('mail.enable', { resource: 'mail:IMVU-042/example.org', params: { domain: 'example.org', published: { dkim: true, spf: true, dmarc: true } } }) },
  'mailbox.create': { req: request('mailbox.create', { resource: 'mailbox:IMVU-042/bob@example.org', storagePool: 'pool-eu', params: { address: 'bob@example.org' } }) },
  'mail.send': { req: request('mail.send', { params: { mailFrom: 'Alice@example.org', headerFrom: 'Alice@example.org' } }) },
  'mail.read': { req: request('mail.read', { actor: ID.operator }), facts: facts({ imvus: [imvuFacts({ consents: ['mail.operator-access'] })] }) },
  'vm.create': { req: request('vm.create', { actor: ID.delegate, resource: 'vm:IMVU-042/web-1', storagePool: 'pool-de', params: VM }) },
  'vm.start': { req: request('vm.start', { resource: 'vm:IMVU-042/web-1' }) },
  'vm.stop': { req: request('vm.stop', { resource: 'vm:IMVU-042/web-1' }) },
  'vm.destroy': { req: request('vm.destroy', { resource: 'vm:IMVU-042/web-1' }) },
  'vm.snapshot': { req: request('vm.snapshot', { resource: 'vm:IMVU-042/web-1', storagePool: 'pool-de', params: { diskFormat: 'qcow2' } }) },
  'network.create': { req: request('network.create', { resource: 'network:IMVU-042/lan', params: { declared: DIGEST } }) },
  'route.change': { req: request('route.change', { actor: ID.operator, resource: 'network:IMVU-042/lan', reason: REASON, params: { declared: DIGEST } }) },
  'exit.start': { req: request('exit.start') },
  'exit.hold': { req: request('exit.hold', { actor: ID.operator, reason: 'Court order 12 O 345/26', params: { holdReason: 'Court order 12 O 345/26', holdEnvelopeDigest: DIGEST } }) },
  'exit.release': { req: request('exit.release', { actor: ID.operator }) },
  'export.third-party': { req: request('export.third-party') },
};

