// Mail behind the gatekeeper, through the signed HTTP API: enabling mail publishes MX, SPF,
// DKIM and DMARC through the gated DNS service (each a dns_change, judged by gate 7), then
// gate 8 judges what is served; mailboxes need a mail-ready domain. First on the in-memory
// DNS fake (fast, and it shows the ledger's record of it), then the same path against a
// real knotd, whose answers are read with kdig.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainChallenge, LedgerEntry } from '@nexus-cos/sdk';
import { NodeTxtResolver } from '../../../appliance/src/adapters/resolver/node-resolver.js';
import { SqliteDomainStore } from '../../../appliance/src/adapters/sqlite/domain-store.js';
import { fakeDnsDeps } from '../../helpers/fake-dns.js';
import { startKnot } from '../dns/knotd.js';
import { createImvu, entries, key, register, send, stack } from '../http/harness.js';

const D = 'example.org';
const alice = key(21);
const mallory = key(22);

t.test('mail.enable publishes the records through gate 7, then gate 8 admits; mailboxes follow', async (t) => {
  const dns = fakeDnsDeps();
  const s = await stack({ dns });
  t.teardown(() => s.close());
  await register(s.app, alice);
  await register(s.app, mallory);
  const id = await createImvu(s.app, alice);

  // Not bound yet: refused by gate 8, and logged as mail.enable.
  const early = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mail/${D}`);
  t.equal(early.json().code, 'GATE_MAIL_IDENTITY');

  const c = (await send(s.app, alice, 'POST', `/v1/imvus/${id}/domains`, { domain: D })).json() as DomainChallenge;
  dns.resolver.records.set(c.record.name, [[c.record.value]]);
  t.equal((await send(s.app, alice, 'POST', `/v1/imvus/${id}/domains/${D}/verify`)).statusCode, 200);

  // Gate 10: mail is processed only with the owner's consent.
  t.equal((await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' })).statusCode, 200);
  const noBox = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mailboxes`, { address: `bob@${D}`, password: 'correct horse battery' });
  t.equal(noBox.json().code, 'GATE_MAIL_IDENTITY', 'no mailbox before mail is enabled');
  t.equal((await send(s.app, mallory, 'POST', `/v1/imvus/${id}/mail/${D}`)).json().code, 'GATE_RESOURCE_BINDING', 'a stranger cannot enable it');

  const before = s.ledger.tree.size;
  const on = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mail/${D}`);
  t.equal(on.statusCode, 200, on.body.slice(0, 300));
  const { selector } = on.json() as { selector: string };
  const zone = dns.dns.zones.get(D)?.rrsets ?? [];
  const has = (name: string, type: string, re: RegExp) => zone.some((r) => r.name === name && r.type === type && r.records.some((x) => re.test(x)));
  t.ok(has(D, 'MX', /^10 mx\.appliance\.test\.$/), 'MX published');
  t.ok(has(D, 'TXT', /^"v=spf1 /), 'SPF published');
  t.ok(has(`${selector}._domainkey.${D}`, 'TXT', /^"v=DKIM1\\059 k=rsa/), 'DKIM key published');
  t.ok(has(`_dmarc.${D}`, 'TXT', /^"v=DMARC1\\059 p=reject/), 'DMARC published');
  await s.ledger.flush();
  const added: LedgerEntry[] = entries(s.ledger).slice(before);
  const decisions = added.filter((e) => e.kind === 'gate_decision').map((e) => `${e.action}:${e.decision}`);
  t.same(decisions, ['dns.change:allow', 'mail.enable:allow'], 'the records passed gate 7, then mail.enable passed gate 8');
  t.equal(added.filter((e) => e.kind === 'dns_change').length, 1, 'the records are one recorded zone change');

  const box = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mailboxes`, { address: `bob@${D}`, password: 'correct horse battery' });
  t.equal(box.statusCode, 201, box.body.slice(0, 300));
  t.same(box.json(), { address: `bob@${D}`, imvu: id, identity: alice.publicKey.id });
  const other = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mailboxes`, { address: 'eve@elsewhere.test', password: 'correct horse battery' });
  t.equal(other.json().code, 'GATE_MAIL_IDENTITY', 'not on a domain of this IMVU');
});

t.test('against a real knotd: a drifted zone is refused; after reconcile, mail.enable serves MX, SPF, DKIM and DMARC', async (t) => {
  const [k, parent] = [await startKnot(), await startKnot()];
  t.teardown(() => Promise.all([k.stop(), parent.stop()]));
  await parent.dns.createZone(D, { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });
  const s = await stack({
    dns: {
      dns: k.dns, store: new SqliteDomainStore(join(mkdtempSync(join(tmpdir(), 'nx-mail-domains-')), 'domains.sqlite')),
      resolver: new NodeTxtResolver([`127.0.0.1:${parent.port}`]), zone: { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' },
    },
  });
  t.teardown(() => s.close());
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  const c = (await send(s.app, alice, 'POST', `/v1/imvus/${id}/domains`, { domain: D })).json() as DomainChallenge;
  await parent.dns.applyChange(D, [{ name: c.record.name, type: 'TXT', ttl: 300, records: [`"${c.record.value}"`] }]);
  t.equal((await send(s.app, alice, 'POST', `/v1/imvus/${id}/domains/${D}/verify`)).statusCode, 200, 'bound after the parent served the challenge');
  t.equal((await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' })).statusCode, 200);

  // An out-of-band edit (straight to knotd): mail publishes nothing into a drifted zone.
  await k.dns.applyChange(D, [{ name: `oob.${D}`, type: 'A', ttl: 300, records: ['198.51.100.7'] }]);
  await s.ledger.flush();
  const size = s.ledger.tree.size;
  const drifted = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mail/${D}`);
  t.equal(drifted.statusCode, 409);
  t.equal(drifted.json().code, 'DNS_DRIFT', 'refused: the zone does not serve its recorded state');
  t.same(await k.dig(D, 'MX'), [], 'nothing was published over the drift');
  await s.ledger.flush();
  t.equal(s.ledger.tree.size, size, 'nothing recorded');
  t.equal((await send(s.app, alice, 'POST', `/v1/imvus/${id}/domains/${D}/reconcile`)).statusCode, 200, 'the owner reconciles');

  const on = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mail/${D}`);
  t.equal(on.statusCode, 200, on.body.slice(0, 300));
  const { selector } = on.json() as { selector: string };
  // What knotd answers over the network (UDP, and TCP for the long DKIM record).
  t.same(await k.dig(D, 'MX'), ['10 mx.appliance.test.'], 'MX served');
  t.match((await k.dig(D, 'TXT')).join('\n'), /"v=spf1 /, 'SPF served');
  t.match((await k.dig('+tcp', `${selector}._domainkey.${D}`, 'TXT')).join(''), /v=DKIM1; k=rsa; p=/, 'DKIM key served');
  t.match((await k.dig(`_dmarc.${D}`, 'TXT')).join(''), /v=DMARC1; p=reject/, 'DMARC served');
  t.same(await k.dig(`oob.${D}`, 'A'), [], 'the out-of-band record is gone');
  const box = await send(s.app, alice, 'POST', `/v1/imvus/${id}/mailboxes`, { address: `bob@${D}`, password: 'correct horse battery' });
  t.equal(box.statusCode, 201, 'a mailbox on the mail-ready domain');
});
