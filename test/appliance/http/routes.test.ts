import t from 'tap';
import { KEY_ROTATION_MEDIA_TYPE, LEGAL_HOLD_MEDIA_TYPE, signJsonSync, type LedgerEntry } from '@nexus-cos/sdk';
import { isAction } from '../../../appliance/src/domain/gates/actions.js';
import { MUTATING_METHODS, ROUTE_ACTIONS } from '../../../appliance/src/http/route-actions.js';
import { routesOf } from '../../../appliance/src/http/server.js';
import { createImvu, entries, key, operator, register, send, stack, type Stack } from './harness.js';

t.test('ROUTE_ACTIONS covers exactly the mutating routes, each with a registered action', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const routes = routesOf(s.app);
  t.ok(routes.length >= 22, `${routes.length} routes registered`);
  const mutating = routes.filter((r) => MUTATING_METHODS.has(r.method)).map((r) => `${r.method} ${r.url}`);
  t.same(mutating.sort(), Object.keys(ROUTE_ACTIONS).sort(), 'same set, both ways');
  for (const [route, action] of Object.entries(ROUTE_ACTIONS)) t.ok(isAction(action), `${route} → ${action} is in actions.ts`);
  for (const r of routes.filter((x) => MUTATING_METHODS.has(x.method))) {
    t.equal(r.action, ROUTE_ACTIONS[`${r.method} ${r.url}` as keyof typeof ROUTE_ACTIONS], `${r.method} ${r.url} carries its action`);
  }
});

const alice = key(1);
const stranger = key(2);
const unregistered = key(3);

/** A validly signed request per mutating route that a gate refuses (and logs). */
const GATE_FAILING: Record<keyof typeof ROUTE_ACTIONS, (id: string) => [ReturnType<typeof key>, 'POST' | 'PUT' | 'PATCH' | 'DELETE', string, unknown, string]> = {
  'POST /v1/identities': () => [unregistered, 'POST', '/v1/identities', { jurisdiction: 'DE', consents: ['mail.processing'] }, 'GATE_CONSENT'],
  'POST /v1/identities/rotate': () => [alice, 'POST', '/v1/identities/rotate', {
    rotation: signJsonSync(KEY_ROTATION_MEDIA_TYPE, { oldKey: alice.publicKey.id, newKey: key(4).publicKey.id, reason: 'stolen', signedBy: 'old', time: '2026-11-26T07:00:00Z' }, [stranger]),
  }, 'GATE_KEY_LIFECYCLE'],
  'POST /v1/identities/revoke': () => [unregistered, 'POST', '/v1/identities/revoke', { reason: 'leaked' }, 'GATE_IDENTITY_PROOF'],
  'POST /v1/identities/recovery': () => [unregistered, 'POST', '/v1/identities/recovery', { recoveryKey: key(5).publicKey.id }, 'GATE_IDENTITY_PROOF'],
  'POST /v1/imvus': () => [alice, 'POST', '/v1/imvus', { jurisdiction: 'DE', consents: ['identity.attributes'], storagePool: 'pool-us' }, 'GATE_DATA_RESIDENCY'],
  'PATCH /v1/imvus/:id': (id) => [stranger, 'PATCH', `/v1/imvus/${id}`, { jurisdiction: 'DE' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/suspend': (id) => [stranger, 'POST', `/v1/imvus/${id}/suspend`, { reason: 'abuse report #1234' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/resume': (id) => [stranger, 'POST', `/v1/imvus/${id}/resume`, { reason: 'abuse report #1234' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/quota': (id) => [stranger, 'POST', `/v1/imvus/${id}/quota`, { quotas: { vcpus: 1, memoryMiB: 1, diskGiB: 1, vms: 1 }, reason: 'abuse report #1234' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/consents': (id) => [stranger, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' }, 'GATE_RESOURCE_BINDING'],
  'DELETE /v1/imvus/:id/consents/:purpose': (id) => [stranger, 'DELETE', `/v1/imvus/${id}/consents/identity.attributes`, undefined, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/domains': (id) => [stranger, 'POST', `/v1/imvus/${id}/domains`, { domain: 'example.org' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/domains/:domain/verify': (id) => [alice, 'POST', `/v1/imvus/${id}/domains/example.org/verify`, undefined, 'GATE_DOMAIN_OWNERSHIP'],
  'PATCH /v1/imvus/:id/domains/:domain/rrsets': (id) => [alice, 'PATCH', `/v1/imvus/${id}/domains/example.org/rrsets`, { rrsets: [{ name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.1'] }] }, 'GATE_DNS_MUTATION'],
  'POST /v1/imvus/:id/domains/:domain/reconcile': (id) => [alice, 'POST', `/v1/imvus/${id}/domains/example.org/reconcile`, undefined, 'GATE_DNS_MUTATION'],
  'POST /v1/imvus/:id/domains/:domain/transfer': (id) => [stranger, 'POST', `/v1/imvus/${id}/domains/example.org/transfer`, { to: 'ns.other.example' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/mail/:domain': (id) => [alice, 'POST', `/v1/imvus/${id}/mail/example.org`, undefined, 'GATE_MAIL_IDENTITY'],
  'POST /v1/imvus/:id/mailboxes': (id) => [alice, 'POST', `/v1/imvus/${id}/mailboxes`, { address: 'bob@example.org', password: 'correct horse battery' }, 'GATE_MAIL_IDENTITY'],
  'DELETE /v1/imvus/:id/domains/:domain': (id) => [stranger, 'DELETE', `/v1/imvus/${id}/domains/example.org`, undefined, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/vms': (id) => [stranger, 'POST', `/v1/imvus/${id}/vms`, { name: 'web1', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/vms/:name/start': (id) => [stranger, 'POST', `/v1/imvus/${id}/vms/web1/start`, undefined, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/vms/:name/stop': (id) => [stranger, 'POST', `/v1/imvus/${id}/vms/web1/stop`, { force: true }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/vms/:name/snapshots': (id) => [stranger, 'POST', `/v1/imvus/${id}/vms/web1/snapshots`, { snapshot: 's1' }, 'GATE_RESOURCE_BINDING'],
  'DELETE /v1/imvus/:id/vms/:name': (id) => [stranger, 'DELETE', `/v1/imvus/${id}/vms/web1`, undefined, 'GATE_RESOURCE_BINDING'],
  'PUT /v1/imvus/:id/network': (id) => [stranger, 'PUT', `/v1/imvus/${id}/network`, { policy: { ingress: [], egress: [] } }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/network/change': (id) => [stranger, 'POST', `/v1/imvus/${id}/network/change`, { policy: { ingress: [], egress: [] }, reason: 'reroute' }, 'GATE_RESOURCE_BINDING'],
  'POST /v1/imvus/:id/exit': (id) => [stranger, 'POST', `/v1/imvus/${id}/exit`, undefined, 'GATE_RESOURCE_BINDING'],
  // The hold is signed by someone other than the operator asking: gate 15 sees no signed reason.
  'POST /v1/imvus/:id/exit/hold': (id) => [operator, 'POST', `/v1/imvus/${id}/exit/hold`, { hold: signJsonSync(LEGAL_HOLD_MEDIA_TYPE, { imvu: id, reason: 'court order 7', time: '2026-11-26T07:00:00Z' }, [stranger]) }, 'GATE_EXIT_READINESS'],
  'POST /v1/imvus/:id/exit/release': (id) => [stranger, 'POST', `/v1/imvus/${id}/exit/release`, { reason: 'court order lifted' }, 'POLICY_DENIED'],
};

async function added(s: Stack, fn: () => Promise<void>): Promise<LedgerEntry[]> {
  const before = s.ledger.tree.size;
  await fn();
  await s.ledger.flush();
  return entries(s.ledger).slice(before);
}

// A stranger meets the gates even where the owner would get a state conflict (resume of an
// active IMVU): state is answered before the gates only to those who may see it.
t.test('every mutating route goes through the gatekeeper: a gate-failing request leaves a logged denial', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  await register(s.app, alice);
  await register(s.app, stranger);
  const id = await createImvu(s.app, alice);
  const mutating = routesOf(s.app).filter((r) => MUTATING_METHODS.has(r.method));
  for (const r of mutating) {
    const name = `${r.method} ${r.url}` as keyof typeof ROUTE_ACTIONS;
    const make = GATE_FAILING[name];
    t.ok(make, `${name} has a gate-failing case`);
    if (make === undefined) continue;
    const [signer, method, path, body, code] = make(id);
    let status = 0;
    let got = '';
    const log = await added(s, async () => {
      const res = await send(s.app, signer, method, path, body);
      status = res.statusCode;
      got = (res.json() as { code: string }).code;
    });
    t.equal(got, code, `${name}: refused with ${code}`);
    t.ok(status >= 400 && status < 500, `${name}: 4xx (${status})`);
    t.same(log.map((e) => (e.kind === 'gate_decision' ? `${e.action}:${e.decision}` : e.kind)), [`${ROUTE_ACTIONS[name]}:deny`], `${name}: exactly one logged denial of ${ROUTE_ACTIONS[name]}`);
  }
});
