import t from 'tap';
import { NexusError } from '@nexus-cos/sdk';
import { createImvu, entries, key, register, send, stack } from './harness.js';

t.test('an effect whose ledger append fails leaves neither the effect nor its entries', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const alice = key(1);
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  // The gatekeeper's append (the decision) goes through; the effect's append fails.
  const appendMany = s.ledger.appendMany.bind(s.ledger);
  let calls = 0;
  s.ledger.appendMany = (items) => (++calls === 2 ? Promise.reject(new NexusError('LEDGER_UNAVAILABLE', 'disk full')) : appendMany(items));
  const before = s.ledger.tree.size;
  const r = await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' });
  t.equal(r.statusCode, 503);
  t.equal(r.json().code, 'LEDGER_UNAVAILABLE');
  t.same(entries(s.ledger).slice(before).map((e) => (e.kind === 'gate_decision' ? e.decision : e.kind)), ['allow'], 'only the decision was logged');
  t.notOk(s.registry.consents(id).some((c) => c.purpose === 'mail.processing'), 'the registry change was rolled back');

  const created = await send(s.app, alice, 'POST', '/v1/imvus', { jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.equal(created.statusCode, 201, 'the next change works');
  t.equal(created.json().id, 'IMVU-002', 'and no id was burned');
});
