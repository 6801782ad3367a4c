// The DNS service end to end through the HTTP API, against two real knotd instances: the
// appliance's own, and a second one playing the domain's current public DNS, where the
// owner publishes the TXT challenge. Answers are checked with kdig over UDP and TCP.
import t, { type Test } from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DNS_TRANSFER_MEDIA_TYPE, TrustedKeys, assertDnsTransferV1, openJsonEnvelope, type Domain, type DomainChallenge, type DriftReport, type LedgerEntry, type ZoneExport } from '@nexus-cos/sdk';
import { NodeTxtResolver } from '../../../appliance/src/adapters/resolver/node-resolver.js';
import { SqliteDomainStore } from '../../../appliance/src/adapters/sqlite/domain-store.js';
import { stateDigest } from '../../../appliance/src/domain/dns/index.js';
import { recoverZones, type DnsDeps } from '../../../appliance/src/services/index.js';
import { platform } from '../../helpers/ledger.js';
import { createImvu, entries, key, register, send, stack, type Stack } from '../http/harness.js';
import { startKnot, type PrivateKnot } from './knotd.js';

const D = 'example.org';
const alice = key(11);
const mallory = key(12);
const ZONE = { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' };

interface World {
  readonly s: Stack;
  readonly k: PrivateKnot;
  readonly parent: PrivateKnot;
  readonly deps: DnsDeps;
  readonly id: string;
}

/** Both knotd, the stack wired to them, alice with an IMVU; the parent serves example.org. */
async function world(t: Test): Promise<World> {
  const [k, parent] = [await startKnot(), await startKnot()];
  t.teardown(() => Promise.all([k.stop(), parent.stop()]));
  await parent.dns.createZone(D, { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });
  const deps: DnsDeps = {
    dns: k.dns, store: new SqliteDomainStore(join(mkdtempSync(join(tmpdir(), 'nx-domains-')), 'domains.sqlite')),
    resolver: new NodeTxtResolver([`127.0.0.1:${parent.port}`]), zone: ZONE,
  };
  const s = await stack({ dns: deps });
  t.teardown(() => s.close());
  await register(s.app, alice);
  await register(s.app, mallory);
  const id = await createImvu(s.app, alice);
  return { s, k, parent, deps, id };
}

const base = (w: World, id = w.id) => `/v1/imvus/${id}/domains`;

async function claimAndBind(t: Test, w: World): Promise<Domain> {
  const claim = await send(w.s.app, alice, 'POST', base(w), { domain: D });
  t.equal(claim.statusCode, 201, 'claim answered with a challenge');
  const c = claim.json() as DomainChallenge;
  await w.parent.dns.applyChange(D, [{ name: c.record.name, type: 'TXT', ttl: c.record.ttl, records: [`"${c.record.value}"`] }]);
  const bound = await send(w.s.app, alice, 'POST', `${base(w)}/${D}/verify`);
  t.equal(bound.statusCode, 200, `bound: ${bound.body.slice(0, 200)}`);
  return bound.json() as Domain;
}

const dnsEntries = (s: Stack) => entries(s.ledger).filter((e): e is Extract<LedgerEntry, { kind: 'dns_change' }> => e.kind === 'dns_change');

t.test('gate 6: a claim verifies only with the exact TXT token in the public DNS; then the zone is served, signed, with its DS', async (t) => {
  const w = await world(t);
  const claim = (await send(w.s.app, alice, 'POST', base(w), { domain: D })).json() as DomainChallenge;
  t.match(claim.record, { name: `_nexus-challenge.${D}`, type: 'TXT', ttl: 300 });
  t.match(claim.record.value, /^nexus-challenge=[A-Za-z0-9_-]{43}$/, 'a 256-bit base64url token');
  const verify = () => send(w.s.app, alice, 'POST', `${base(w)}/${D}/verify`);

  let r = await verify();
  t.equal((r.json() as { code: string }).code, 'GATE_DOMAIN_OWNERSHIP', 'no TXT record: refused by gate 6');
  await w.parent.dns.applyChange(D, [{ name: claim.record.name, type: 'TXT', ttl: 300, records: [`"${claim.record.value}x"`, '"nexus-challenge=wrong"'] }]);
  r = await verify();
  t.equal((r.json() as { code: string }).code, 'GATE_DOMAIN_OWNERSHIP', 'wrong tokens: refused by gate 6');
  t.same(await w.k.dig(D, 'SOA'), [], 'nothing is served for a refused claim');

  await w.parent.dns.applyChange(D, [{ name: claim.record.name, type: 'TXT', ttl: 300, records: [`"${claim.record.value}"`] }]);
  r = await verify();
  t.equal(r.statusCode, 200);
  const d = r.json() as Domain;
  t.ok(d.dnssec.ds.some((x) => /^\d+ 13 2 [0-9a-f]{64}$/.test(x)), 'DS (ECDSA P-256, SHA-256) returned for the registrar');
  t.match((await w.k.dig(D, 'SOA'))[0], /^ns1\.appliance\.test\. hostmaster\.appliance\.test\. \d+ /, 'SOA served over UDP');
  t.same(await w.k.dig('+tcp', D, 'NS'), ['ns1.appliance.test.'], 'NS served over TCP');
  t.ok((await w.k.dig(D, 'DNSKEY')).length >= 1, 'DNSKEY served');
  const log = dnsEntries(w.s);
  t.equal(log.length, 1, 'the binding is one dns_change entry');
  t.equal(log[0]?.after, d.digest, 'whose after digest is the bound state');
  const denials = entries(w.s.ledger).filter((e) => e.kind === 'gate_decision' && e.action === 'domain.bind' && e.decision === 'deny');
  t.equal(denials.length, 2, 'both refusals were logged');
});

t.test('gate 7: RRset changes of every type land atomically, are served, logged with digests and metered; strangers are refused', async (t) => {
  const w = await world(t);
  await claimAndBind(t, w);
  const rrsets = [
    { name: `www.${D}`, type: 'A', ttl: 300, records: ['192.0.2.10', '192.0.2.11'] },
    { name: `www.${D}`, type: 'AAAA', ttl: 300, records: ['2001:db8::10'] },
    { name: `blog.${D}`, type: 'CNAME', ttl: 300, records: [`www.${D}.`] },
    { name: D, type: 'MX', ttl: 3600, records: [`10 mail.${D}.`] },
    { name: D, type: 'TXT', ttl: 300, records: ['"v=spf1 mx -all"'] },
    { name: `_sip._tcp.${D}`, type: 'SRV', ttl: 300, records: [`10 60 5060 sip.${D}.`] },
    { name: D, type: 'CAA', ttl: 300, records: ['0 issue "letsencrypt.org"'] },
    { name: `sub.${D}`, type: 'NS', ttl: 300, records: ['ns.elsewhere.test.'] },
    { name: `_25._tcp.mail.${D}`, type: 'TLSA', ttl: 300, records: [`3 1 1 ${'ab'.repeat(32)}`] },
  ];
  const r = await send(w.s.app, alice, 'PATCH', `${base(w)}/${D}/rrsets`, { rrsets });
  t.equal(r.statusCode, 200, r.body.slice(0, 300));
  t.same(await w.k.dig(`www.${D}`, 'A'), ['192.0.2.10', '192.0.2.11']);
  t.same(await w.k.dig('+tcp', `www.${D}`, 'AAAA'), ['2001:db8::10']);
  t.same(await w.k.dig(D, 'MX'), [`10 mail.${D}.`]);
  t.same(await w.k.dig(D, 'CAA'), ['0 issue "letsencrypt.org"']);
  t.same(await w.k.dig(`_25._tcp.mail.${D}`, 'TLSA'), [`3 1 1 ${'AB'.repeat(32)}`]);
  const [bind, change] = dnsEntries(w.s);
  t.equal(change?.before, bind?.after, 'before is the previous after: the digests chain');
  t.equal(change?.after, (r.json() as Domain).digest);
  const doc = w.s.ledger.store.document(change?.after ?? '');
  t.ok(doc, 'the after state is kept beside the entry');
  const usage = entries(w.s.ledger).filter((e) => e.kind === 'usage' && e.meter === 'dns.rrsets');
  t.match(usage, [{ quantity: '9', unit: 'rrset', imvu: w.id, actor: alice.publicKey.id }], 'metered: 9 RRsets, attributed to the IMVU and the identity');

  // A bad record anywhere: nothing applied, the member named.
  const bad = await send(w.s.app, alice, 'PATCH', `${base(w)}/${D}/rrsets`, { rrsets: [{ name: `ok.${D}`, type: 'A', ttl: 300, records: ['192.0.2.1'] }, { name: `x.${D}`, type: 'A', ttl: 300, records: ['300.1.1.1'] }] });
  t.match(bad.json(), { code: 'DNS_RECORD_INVALID', field: '/rrsets/1/records/0' });
  t.same(await w.k.dig(`ok.${D}`, 'A'), [], 'the valid member was not applied either');

  // Mallory, with an IMVU of her own, cannot touch alice's zone through it (gate 7), nor through alice's IMVU (gate 2).
  const mid = await createImvu(w.s.app, mallory);
  const evil = { rrsets: [{ name: `www.${D}`, type: 'A', ttl: 300, records: ['203.0.113.66'] }] };
  t.equal((await send(w.s.app, mallory, 'PATCH', `${base(w, mid)}/${D}/rrsets`, evil)).json().code, 'GATE_DNS_MUTATION');
  t.equal((await send(w.s.app, mallory, 'PATCH', `${base(w)}/${D}/rrsets`, evil)).json().code, 'GATE_RESOURCE_BINDING');
  t.same(await w.k.dig(`www.${D}`, 'A'), ['192.0.2.10', '192.0.2.11'], 'DNS unchanged');
});

t.test('50 concurrent changes to one zone all land exactly once, in ledger order', async (t) => {
  const w = await world(t);
  const bound = await claimAndBind(t, w);
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    send(w.s.app, alice, 'PATCH', `${base(w)}/${D}/rrsets`, { rrsets: [{ name: `c${i}.${D}`, type: 'TXT', ttl: 300, records: [`"n=${i}"`] }] })));
  t.same(results.map((r) => r.statusCode), Array(50).fill(200), 'all 50 acknowledged');
  const log = dnsEntries(w.s).slice(1);
  t.equal(log.length, 50, 'exactly 50 dns_change entries');
  let prev = bound.digest;
  for (const e of log) {
    t.equal(e.before, prev, `entry ${e.seq} starts where the previous one ended`);
    prev = e.after;
  }
  const z = await w.k.dns.readZone(D);
  t.equal(stateDigest({ zone: D, rrsets: z.rrsets }), prev, 'what knotd serves is the last recorded state');
  t.equal(z.rrsets.filter((r) => r.name.startsWith('c')).length, 50);
  t.same(await w.k.dig(`c49.${D}`, 'TXT'), ['"n=49"']);
});

t.test('drift: an out-of-band knotc edit is reported and blocks changes; reconcile restores and logs it', async (t) => {
  const w = await world(t);
  await claimAndBind(t, w);
  await send(w.s.app, alice, 'PATCH', `${base(w)}/${D}/rrsets`, { rrsets: [{ name: `www.${D}`, type: 'A', ttl: 300, records: ['192.0.2.10'] }] });
  const knotc = w.k.runner.which('knotc') as string;
  const kc = (...a: string[]) => w.k.runner.run([knotc, '-b', '-s', join(w.k.dir, 'knot', 'run', 'knot.sock'), ...a]);
  await kc('zone-begin', D);
  await kc('zone-set', D, `www.${D}.`, '300', 'A', '203.0.113.66');
  await kc('zone-set', D, `evil.${D}.`, '300', 'HINFO', '"x" "y"');
  await kc('zone-commit', D);
  const report = (await send(w.s.app, alice, 'GET', `${base(w)}/${D}/drift`)).json() as DriftReport;
  t.equal(report.status, 'drift');
  t.same(report.changed, [`www.${D} A`]);
  t.same(report.foreign, [`evil.${D} HINFO`], 'a record type the owner cannot even manage is reported too');
  const refused = await send(w.s.app, alice, 'PATCH', `${base(w)}/${D}/rrsets`, { rrsets: [{ name: `new.${D}`, type: 'A', ttl: 300, records: ['192.0.2.5'] }] });
  t.equal(refused.json().code, 'DNS_DRIFT', 'no change is built on drifted state');
  const fixed = await send(w.s.app, alice, 'POST', `${base(w)}/${D}/reconcile`);
  t.equal(fixed.statusCode, 200);
  t.same(await w.k.dig(`www.${D}`, 'A'), ['192.0.2.10'], 'the recorded record is served again');
  t.same(await w.k.dig(`evil.${D}`, 'HINFO'), [], 'the foreign record is gone');
  const last = dnsEntries(w.s).at(-1);
  t.equal(last?.before, report.served, 'the ledger shows the drifted state it undid');
  t.equal(last?.after, report.expected);
  t.equal(((await send(w.s.app, alice, 'GET', `${base(w)}/${D}/drift`)).json() as DriftReport).status, 'ok');
});

t.test('start-up: the crash window is rolled back, a dropped zone re-served, drift reported', async (t) => {
  const w = await world(t);
  const d = await claimAndBind(t, w);
  // Knot took a change whose ledger entry never became durable (the process died between).
  const rrsets = [{ name: `www.${D}`, type: 'A' as const, ttl: 300, records: ['192.0.2.77'] }];
  w.deps.store.setPending({ domain: D, dedupe: 'dns_change\nnever-recorded', rrsets: [...d.rrsets, ...rrsets], digest: stateDigest({ zone: D, rrsets: [...d.rrsets, ...rrsets] }) });
  await w.k.dns.applyChange(D, rrsets);
  let [r] = await recoverZones(w.k.dns, w.deps.store, w.s.ledger, ZONE);
  t.equal(r?.action, 'rolled-back');
  t.equal(r?.report.status, 'ok');
  t.same(await w.k.dig(`www.${D}`, 'A'), [], 'the unrecorded change is undone');
  t.equal(w.deps.store.pending(D), undefined);

  // knotd lost the zone (a configuration re-import drops runtime zones).
  const ds = d.dnssec.ds;
  await w.k.dns.deleteZone(D);
  [r] = await recoverZones(w.k.dns, w.deps.store, w.s.ledger, ZONE);
  t.equal(r?.action, 're-served');
  t.equal(r?.report.status, 'ok');
  t.same(await w.k.dig(D, 'NS'), ['ns1.appliance.test.']);
  t.not((await w.k.dns.dnssec(D)).ds[0], undefined, `signed again (DS was ${ds[0] ?? ''})`);

  // An edit nobody recorded: reported, not adopted, not silently reverted.
  await w.k.dns.applyChange(D, [{ name: `oob.${D}`, type: 'A', ttl: 300, records: ['198.51.100.1'] }]);
  [r] = await recoverZones(w.k.dns, w.deps.store, w.s.ledger, ZONE);
  t.equal(r?.report.status, 'drift');
  t.same(r?.report.unexpected, [`oob.${D} A`]);
  t.equal(w.deps.store.domain(D)?.digest, d.digest, 'the recorded state did not move');
});

t.test('export, transfer authorization and unbind', async (t) => {
  const w = await world(t);
  const d = await claimAndBind(t, w);
  await send(w.s.app, alice, 'PATCH', `${base(w)}/${D}/rrsets`, { rrsets: [{ name: `www.${D}`, type: 'A', ttl: 300, records: ['192.0.2.10'] }] });
  const ex = (await send(w.s.app, alice, 'GET', `${base(w)}/${D}/export`)).json() as ZoneExport;
  t.match(ex.zonefile, new RegExp(`^www\\.${D.replace('.', '\\.')}\\.\\s+300\\s+A\\s+192\\.0\\.2\\.10$`, 'm'), 'an RFC 1035 master file with the record');
  t.match(ex.zonefile, /\sRRSIG\s/, 'signed');
  const file = join(mkdtempSync(join(tmpdir(), 'nx-export-')), `${D}.zone`);
  writeFileSync(file, ex.zonefile);
  await t.resolves(w.k.runner.run(['kzonecheck', '-o', D, '-d', 'on', file]), 'the export validates with kzonecheck -d on');
  t.equal(ex.digest, stateDigest({ zone: D, rrsets: ex.rrsets }), 'the digest is of the exported state');
  t.equal(ex.digest, dnsEntries(w.s).at(-1)?.after, 'and is the one the ledger recorded last');

  const tr = await send(w.s.app, alice, 'POST', `${base(w)}/${D}/transfer`, { to: 'ns1.next-operator.example' });
  t.equal(tr.statusCode, 200);
  const { value } = openJsonEnvelope(tr.json(), { trusted: new TrustedKeys([platform.publicKey]), payloadType: DNS_TRANSFER_MEDIA_TYPE });
  assertDnsTransferV1(value);
  t.match(value, { domain: D, imvu: w.id, owner: alice.publicKey.id, releasedTo: 'ns1.next-operator.example', zoneDigest: ex.digest, ds: d.dnssec.ds });
  t.equal((await send(w.s.app, mallory, 'POST', `${base(w)}/${D}/transfer`, { to: 'evil' })).json().code, 'GATE_RESOURCE_BINDING');

  const del = await send(w.s.app, alice, 'DELETE', `${base(w)}/${D}`);
  t.equal(del.statusCode, 204);
  t.same(await w.k.dig(D, 'SOA'), [], 'no longer served');
  await t.rejects(w.k.dns.dnssec(D), 'no keys left');
  t.equal(dnsEntries(w.s).at(-1)?.after, stateDigest({ zone: D, rrsets: [] }), 'the ledger records the empty state');
  t.equal((await send(w.s.app, alice, 'GET', `${base(w)}/${D}`)).json().code, 'NOT_FOUND');
});
