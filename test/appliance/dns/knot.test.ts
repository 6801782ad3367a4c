import t, { type Test } from 'tap';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectsCode } from '../../helpers/codes.js';
import { startKnot, type PrivateKnot } from './knotd.js';
import { knotPaths } from '../../../appliance/src/supervisor/knot.js';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';

// Against a real knotd (Debian's knot), queried over the network with kdig. Each test
// starts its own knotd and stops it (waiting on the pid) in teardown.
const Z = 'example.org';
const ZONE = { nameservers: ['ns1.example.net', 'ns2.example.net'], soaEmail: 'hostmaster@example.org' };

async function withZone(t: Pick<Test, 'teardown'>): Promise<PrivateKnot> {
  const k = await startKnot();
  t.teardown(() => k.stop());
  await k.dns.createZone(Z, ZONE);
  return k;
}

t.test('createZone: SOA and NS served (UDP and TCP), signed; a second create conflicts', async (t) => {
  const k = await withZone(t);
  const soa = await k.dig(Z, 'SOA');
  t.match(soa[0], /^ns1\.example\.net\. hostmaster\.example\.org\. \d+ 3600 900 1209600 300$/, 'SOA over UDP');
  t.same(await k.dig('+tcp', Z, 'NS'), ['ns1.example.net.', 'ns2.example.net.'], 'NS over TCP');
  t.equal((await k.dig(Z, 'DNSKEY')).length, 2, 'KSK and ZSK published');
  await rejectsCode(t, () => k.dns.createZone(Z, ZONE), 'CONFLICT');
  await rejectsCode(t, () => k.dns.createZone('bad..zone', ZONE), 'DNS_RECORD_INVALID');
  await rejectsCode(t, () => k.dns.applyChange('unknown.example', [{ name: 'a.unknown.example', type: 'A', ttl: 300, records: ['192.0.2.1'] }]), 'DNS_ZONE_UNKNOWN');
});

t.test('the SOA serial is the time of the last change, and moves even twice in one second', async (t) => {
  const k = await withZone(t);
  const start = Math.floor(Date.now() / 1000);
  const first = await k.dns.applyChange(Z, [{ name: 'a.example.org', type: 'A', ttl: 300, records: ['192.0.2.1'] }]);
  const end = Math.floor(Date.now() / 1000);
  // Not more than a few above it: changes within one second (the zone's creation signed it) each add one.
  t.ok(first.serial >= start && first.serial <= end + 5, `serial ${first.serial} is the Unix time of the change (${start}..${end})`);
  const second = await k.dns.applyChange(Z, [{ name: 'b.example.org', type: 'A', ttl: 300, records: ['192.0.2.2'] }]);
  t.ok(second.serial > first.serial, `a second change moves it (${first.serial} -> ${second.serial})`);
  t.match((await k.dig(Z, 'SOA'))[0], new RegExp(` ${second.serial} 3600 900 1209600 300$`), 'served with that serial');
});

t.test('applyChange: several RRsets land together and are served; readZone agrees', async (t) => {
  const k = await withZone(t);
  const before = (await k.dns.readZone(Z)).serial;
  const tlsa = `3 1 1 ${'ab'.repeat(32)}`;
  const { serial } = await k.dns.applyChange(Z, [
    { name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.1', '192.0.2.2'] },
    { name: 'www.example.org', type: 'AAAA', ttl: 300, records: ['2001:db8::1'] },
    { name: 'example.org', type: 'MX', ttl: 300, records: ['10 mail.example.org'] },
    { name: 'mail.example.org', type: 'A', ttl: 300, records: ['192.0.2.25'] },
    { name: 'example.org', type: 'TXT', ttl: 300, records: ['"v=spf1 mx -all"', '"a\\"quote;semi" "two"'] },
    { name: '_sip._tcp.example.org', type: 'SRV', ttl: 300, records: ['10 5 5060 sip.example.org'] },
    { name: 'example.org', type: 'CAA', ttl: 300, records: ['0 issue "letsencrypt.org"'] },
    { name: '_443._tcp.www.example.org', type: 'TLSA', ttl: 300, records: [tlsa] },
    { name: 'alias.example.org', type: 'CNAME', ttl: 300, records: ['www.example.org'] },
    { name: 'sub.example.org', type: 'NS', ttl: 300, records: ['ns.example.net'] },
  ]);
  t.ok(serial > before, 'the serial moved');
  t.same(await k.dig('www.example.org', 'A'), ['192.0.2.1', '192.0.2.2']);
  t.same(await k.dig('+tcp', 'www.example.org', 'AAAA'), ['2001:db8::1']);
  t.same(await k.dig(Z, 'MX'), ['10 mail.example.org.']);
  t.same(await k.dig(Z, 'TXT'), ['"a\\"quote;semi" "two"', '"v=spf1 mx -all"'], 'TXT quoting survives the round trip');
  t.same(await k.dig('_sip._tcp.example.org', 'SRV'), ['10 5 5060 sip.example.org.']);
  t.same(await k.dig(Z, 'CAA'), ['0 issue "letsencrypt.org"']);
  t.equal((await k.dig('_443._tcp.www.example.org', 'TLSA')).length, 1);
  t.same(await k.dig('alias.example.org', 'CNAME'), ['www.example.org.']);
  const read = await k.dns.readZone(Z);
  t.equal(read.serial, serial);
  t.same(read.rrsets.find((r) => r.name === 'example.org' && r.type === 'TXT')?.records, ['"a\\"quote\\059semi" "two"', '"v=spf1 mx -all"'], 'read back canonical');
  t.same(read.rrsets.find((r) => r.type === 'TLSA')?.records, [tlsa], 'TLSA read back canonical');
  t.equal(read.rrsets.length, 11, 'ten changed RRsets plus the apex NS');

  // Replace and delete.
  await k.dns.applyChange(Z, [
    { name: 'www.example.org', type: 'A', ttl: 600, records: ['192.0.2.3'] },
    { name: 'alias.example.org', type: 'CNAME', delete: true },
    { name: 'never.example.org', type: 'A', delete: true },
  ]);
  t.same(await k.dig('www.example.org', 'A'), ['192.0.2.3'], 'the RRset was replaced, not merged');
  t.same(await k.dig('alias.example.org', 'CNAME'), [], 'deleted');
});

t.test('the apex NS is replaced, not merged (a server ignores deleting that RRset, RFC 2136 §3.4.2.4)', async (t) => {
  const k = await startKnot();
  t.teardown(() => k.stop());
  const Z2 = 'apex-ns.example';
  await k.dns.createZone(Z2, { nameservers: ['ns1.old.test', 'ns2.old.test'], soaEmail: 'hostmaster@old.test' });
  await k.dns.applyChange(Z2, [{ name: Z2, type: 'NS', ttl: 3600, records: ['ns2.old.test', 'ns1.new.test'] }]);
  t.same(await k.dig(Z2, 'NS'), ['ns1.new.test.', 'ns2.old.test.'], 'an owner\u2019s change: exactly the new set, one old name kept');
  await k.dns.restore(Z2, [{ name: Z2, type: 'NS', ttl: 3600, records: ['ns1.b.test'] }]);
  t.same(await k.dig(Z2, 'NS'), ['ns1.b.test.'], 'a restore (an import\u2019s): exactly the recorded set');
  t.same((await k.dns.readZone(Z2)).rrsets.filter((r) => r.type === 'NS').map((r) => r.records), [['ns1.b.test.']], 'and readZone agrees');
});

t.test('atomic: a refused RRset leaves the zone unchanged, and a later change still works', async (t) => {
  const k = await withZone(t);
  await k.dns.applyChange(Z, [{ name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.1'] }]);
  const before = await k.dns.readZone(Z);
  await rejectsCode(t, () => k.dns.applyChange(Z, [
    { name: 'new.example.org', type: 'A', ttl: 300, records: ['192.0.2.7'] },
    { name: 'evil.example.org', type: 'TXT', ttl: 300, records: ['"x"\nexample.org. 300 NS evil.example.'] },
  ]), 'DNS_RECORD_INVALID', 'an injection attempt is refused before knotc');
  await rejectsCode(t, () => k.dns.applyChange(Z, [
    { name: 'new.example.org', type: 'A', ttl: 300, records: ['192.0.2.7'] },
    { name: 'www.example.org', type: 'CNAME', ttl: 300, records: ['elsewhere.example.net'] },
  ]), 'DNS_RECORD_INVALID', 'a CNAME beside the served A is refused inside the transaction (and it is aborted)');
  t.same(await k.dns.readZone(Z), before, 'unchanged');
  t.same(await k.dig('new.example.org', 'A'), [], 'nothing of the refused changes is served');
  const ok = await k.dns.applyChange(Z, [{ name: 'later.example.org', type: 'A', ttl: 300, records: ['192.0.2.8'] }]);
  t.ok(ok.serial > before.serial, 'a later change works: no transaction was left open');
  t.same(await k.dig('later.example.org', 'A'), ['192.0.2.8']);
});

t.test('atomic at Knot: an UPDATE planned against a zone that changed meanwhile applies nothing', async (t) => {
  // Just before our UPDATE is sent, someone edits the zone with knotc (out of band). The
  // UPDATE carries the SOA it was planned against as a prerequisite, so knotd refuses it
  // whole: neither RRset lands, and the out-of-band edit is what is served.
  let armed = false;
  const k = await startKnot({
    async beforeUpdate({ socket, knotc }) {
      if (!armed) return;
      armed = false;
      const kc = (...a: string[]) => new ExecaRunner().run([knotc, '-b', '-s', socket, ...a]);
      await kc('zone-begin', Z);
      await kc('zone-set', Z, 'oob.example.org.', '300', 'A', '192.0.2.99');
      await kc('zone-commit', Z);
    },
  });
  t.teardown(() => k.stop());
  await k.dns.createZone(Z, ZONE);
  armed = true;
  await rejectsCode(t, () => k.dns.applyChange(Z, [
    { name: 'a.example.org', type: 'A', ttl: 300, records: ['192.0.2.1', '192.0.2.2'] },
    { name: 'b.example.org', type: 'A', ttl: 300, records: ['192.0.2.3'] },
  ]), 'DNS_BACKEND_FAILED');
  t.same(await k.dig('a.example.org', 'A'), [], 'nothing of the refused UPDATE is served');
  t.same(await k.dig('b.example.org', 'A'), []);
  t.same(await k.dig('oob.example.org', 'A'), ['192.0.2.99'], 'the concurrent edit stands');
  await k.dns.applyChange(Z, [{ name: 'c.example.org', type: 'A', ttl: 300, records: ['192.0.2.4'] }]);
  t.same(await k.dig('c.example.org', 'A'), ['192.0.2.4'], 'the next change, planned afresh, lands');
});

t.test('bulk: 1 000 records in one change land in one UPDATE', async (t) => {
  const k = await withZone(t);
  const rrsets = Array.from({ length: 1000 }, (_, i) => ({ name: `h${i}.example.org`, type: 'A', ttl: 300, records: [`10.0.${i >> 8}.${i & 255}`] }));
  await k.dns.applyChange(Z, rrsets);
  const z = await k.dns.readZone(Z);
  t.equal(z.rrsets.filter((r) => r.name.startsWith('h')).length, 1000, 'all 1 000 RRsets are in the zone');
  t.same(await k.dig('h999.example.org', 'A'), ['10.0.3.231'], 'and served');
  t.same(await k.dig('+tcp', 'h0.example.org', 'A'), ['10.0.0.0']);
});

t.test('DNSSEC: DNSKEY served, DS returned, kzonecheck validates the export and catches tampering', async (t) => {
  const k = await withZone(t);
  await k.dns.applyChange(Z, [{ name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.1'] }]);
  const sec = await k.dns.dnssec(Z);
  t.equal(sec.dnskey.length, 1, 'one KSK');
  t.match(sec.dnskey[0], /^257 3 13 /, 'ECDSAP256SHA256 KSK');
  t.ok(sec.ds.some((d) => /^\d+ 13 2 [0-9a-f]{64}$/.test(d)), 'a SHA-256 DS');
  const served = await k.dig(Z, 'DNSKEY');
  t.ok(served.some((d) => d.replace(/ /g, '') === (sec.dnskey[0] ?? '').replace(/ /g, '')), 'the KSK is served');
  const text = await k.dns.exportZone(Z);
  t.match(text, /RRSIG/, 'the export is signed');
  t.match(text, /www\.example\.org\.\s+300\s+A\s+192\.0\.2\.1/);
  const dir = mkdtempSync(join(tmpdir(), 'nx-export-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'z.zone');
  writeFileSync(file, text);
  await k.runner.run(['kzonecheck', '-o', Z, '-d', 'on', file]);
  t.pass('kzonecheck -d on accepts the export');
  writeFileSync(file, text.replace(/192\.0\.2\.1/, '192.0.2.66'));
  await rejectsCode(t, () => k.runner.run(['kzonecheck', '-o', Z, '-d', 'on', file]), 'COMMAND_FAILED', 'a tampered record fails kzonecheck');
});

t.test('concurrent changes to one zone are serialised: all land, none interleaves', async (t) => {
  const k = await withZone(t);
  const n = 50;
  const serials = await Promise.all(Array.from({ length: n }, (_, i) =>
    k.dns.applyChange(Z, [
      { name: `h${i}.example.org`, type: 'A', ttl: 300, records: [`192.0.2.${i + 1}`] },
      { name: `h${i}.example.org`, type: 'TXT', ttl: 300, records: [`"change ${i}"`] },
    ]).then((r) => r.serial)));
  t.equal(new Set(serials).size, n, 'each change got its own serial (one transaction each)');
  t.same([...serials].sort((a, b) => a - b), serials, 'in call order');
  const read = await k.dns.readZone(Z);
  for (let i = 0; i < n; i++) {
    t.same(read.rrsets.filter((r) => r.name === `h${i}.example.org`).map((r) => r.records), [[`192.0.2.${i + 1}`], [`"change ${i}"`]]);
  }
  t.same(await k.dig('h7.example.org', 'TXT'), ['"change 7"']);
});

t.test('deleteZone: no longer served, keys gone, can be created again with new keys', async (t) => {
  const k = await withZone(t);
  const old = await k.dns.dnssec(Z);
  const keystore = join(knotPaths(join(k.dir, 'knot')).storage, 'keys', 'keys');
  const pems = (): string[] => (existsSync(keystore) ? readdirSync(keystore).filter((f) => f.endsWith('.pem')) : []);
  t.ok(pems().length > 0, 'the zone has private key files in the key store');
  await k.dns.deleteZone(Z);
  t.same(pems(), [], 'unbinding deleted its private key files, not only the key records');
  const r = await k.runner.run(['kdig', '@127.0.0.1', '-p', String(k.port), Z, 'SOA']);
  t.match(r.stdout, /status: REFUSED/, 'knotd no longer answers for it');
  await rejectsCode(t, () => k.dns.readZone(Z), 'DNS_ZONE_UNKNOWN');
  await rejectsCode(t, () => k.dns.deleteZone(Z), 'DNS_ZONE_UNKNOWN');
  await k.dns.createZone(Z, ZONE);
  const fresh = await k.dns.dnssec(Z);
  t.not(fresh.dnskey[0], old.dnskey[0], 'new keys: the old ones were purged');
  t.same(await k.dig('www.example.org', 'A'), [], 'no old records came back from the journal');
});
