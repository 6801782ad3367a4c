import t from 'tap';
import {
  canonicalRdata, initialZoneFile, parseName, planChange, txtFromText, validateChange, type RRType,
} from '../../../appliance/src/domain/dns/index.js';
import { updateScript } from '../../../appliance/src/adapters/knot/update-script.js';
import { throwsCode } from '../../helpers/codes.js';

const Z = 'example.org';

t.test('names: LDH, lower-case, one optional trailing dot, length limits', async (t) => {
  t.equal(parseName('WWW.Example.ORG.', '/n'), 'www.example.org');
  t.equal(parseName('xn--bcher-kva.example', '/n'), 'xn--bcher-kva.example');
  t.equal(parseName('_443._tcp.mail.example.org', '/n', 'owner'), '_443._tcp.mail.example.org');
  t.equal(parseName('*.example.org', '/n', 'owner'), '*.example.org');
  const l63 = 'a'.repeat(63);
  t.equal(parseName(`${l63}.org`, '/n'), `${l63}.org`);
  const n253 = [l63, l63, l63, 'a'.repeat(61)].join('.');
  t.equal(parseName(n253, '/n').length, 253);
  for (const bad of ['', '.', 'a..b', 'www.example.org..', `${'a'.repeat(64)}.org`, `${n253}a`, '-a.org', 'a-.org', 'a_b.org', 'bücher.example',
    'a b.org', 'a.org\nexample.org. NS evil.', 'a;b.org', 'a\\.b.org', '@', 'a.*.org', 42, null]) {
    throwsCode(t, () => parseName(bad, '/n', 'owner'), 'DNS_RECORD_INVALID', `refuses ${JSON.stringify(bad)}`);
  }
  throwsCode(t, () => parseName('_dmarc.example.org', '/n', 'host'), 'DNS_RECORD_INVALID', 'no service labels in host names');
  throwsCode(t, () => parseName('*.example.org', '/n', 'host'), 'DNS_RECORD_INVALID', 'no wildcard in host names');
});

t.test('rdata: each type parsed and re-rendered canonically', async (t) => {
  const good: [RRType, string, string][] = [
    ['A', '192.0.2.1', '192.0.2.1'],
    ['AAAA', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['AAAA', '::ffff:192.0.2.1', '::ffff:c000:201'],
    ['CNAME', 'Target.Example.net', 'target.example.net.'],
    ['NS', 'ns1.example.net.', 'ns1.example.net.'],
    ['MX', '10 mail.example.org', '10 mail.example.org.'],
    ['MX', '0 .', '0 .'],
    ['TXT', '"v=spf1 -all"', '"v=spf1 -all"'],
    ['TXT', '"a\\"b" "c\\\\d" "\\059;()"', '"a\\"b" "c\\\\d" "\\059\\059\\040\\041"'],
    ['TXT', '"\\195\\169"', '"\\195\\169"'],
    ['SRV', '10 5 5060 sip.example.org', '10 5 5060 sip.example.org.'],
    ['CAA', '0 ISSUE "letsencrypt.org"', '0 issue "letsencrypt.org"'],
    ['CAA', '128 iodef "mailto:a@example.org"', '128 iodef "mailto:a@example.org"'],
    ['TLSA', `3 1 1 ${'AB'.repeat(32)}`, `3 1 1 ${'ab'.repeat(32)}`],
  ];
  for (const [type, input, want] of good) t.equal(canonicalRdata(type, input, '/r'), want, `${type} ${input}`);
  const bad: [RRType, string][] = [
    ['A', '256.1.1.1'], ['A', '01.2.3.4'], ['A', '1.2.3'], ['A', '1.2.3.4 '], ['A', '1.2.3.4\nexample.org. NS evil.'],
    ['AAAA', '1.2.3.4'], ['AAAA', 'fe80::1%eth0'], ['AAAA', '2001:db8::1::2'], ['AAAA', '[::1]'],
    ['CNAME', 'a..b'], ['NS', '_x.example.org'], ['MX', '10'], ['MX', '70000 mx.example.org'], ['MX', '10  mx.example.org'],
    ['TXT', 'unquoted'], ['TXT', '"a"  "b"'], ['TXT', '"open'], ['TXT', '"a" ; comment'], ['TXT', '"line\nbreak"'],
    ['TXT', '"é"'], ['TXT', '"\\256"'], ['TXT', '"\\x"'], ['TXT', `"${'a'.repeat(256)}"`],
    ['TXT', '"x")\nexample.org. 300 NS evil.example. ("'],
    ['SRV', '1 2 3'], ['SRV', '1 2 65536 a.example.org'], ['CAA', '0 issue letsencrypt.org'], ['CAA', '256 issue "x"'], ['CAA', '0 is-sue "x"'],
    ['TLSA', '3 1 1 abc'], ['TLSA', '4 1 1 ab'], ['TLSA', `3 1 1 ${'ab'.repeat(31)}`], ['TLSA', '3 1 0 zz'],
  ];
  for (const [type, input] of bad) throwsCode(t, () => canonicalRdata(type, input, '/r'), 'DNS_RECORD_INVALID', `refuses ${type} ${JSON.stringify(input)}`);
  t.equal(txtFromText('x'.repeat(300)), `"${'x'.repeat(255)}" "${'x'.repeat(45)}"`, 'long text is split into 255-octet strings');
});

t.test('changes: inside the zone, known types, TTL range, no repeats, CNAME alone', async (t) => {
  const ok = validateChange(Z, [
    { name: 'WWW.example.org.', type: 'A', ttl: 300, records: ['192.0.2.2', '192.0.2.1'] },
    { name: 'old.example.org', type: 'TXT', delete: true },
  ]);
  t.same(ok, [
    { name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.1', '192.0.2.2'] },
    { name: 'old.example.org', type: 'TXT', delete: true },
  ]);
  const a = (x: object) => ({ name: 'a.example.org', type: 'A', ttl: 300, records: ['192.0.2.1'], ...x });
  const bads: [string, unknown][] = [
    ['empty change', []],
    ['not an array', { name: 'a' }],
    ['outside the zone', [a({ name: 'a.example.net' })]],
    ['a suffix lookalike', [a({ name: 'evilexample.org' })]],
    ['unknown type', [a({ type: 'SOA' })]],
    ['DNSSEC types are Knot\'s', [a({ type: 'DNSKEY' })]],
    ['TTL too small', [a({ ttl: 5 })]],
    ['TTL too big', [a({ ttl: 604_801 })]],
    ['TTL not an integer', [a({ ttl: 300.5 })]],
    ['no records', [a({ records: [] })]],
    ['duplicate record', [a({ records: ['192.0.2.1', '192.0.2.01'] })]],
    ['extra member', [a({ class: 'CH' })]],
    ['same RRset twice', [a({}), a({ records: ['192.0.2.9'] })]],
    ['two CNAME records', [a({ type: 'CNAME', records: ['x.example.org', 'y.example.org'] })]],
    ['CNAME at the apex', [a({ name: Z, type: 'CNAME', records: ['x.example.net'] })]],
    ['apex NS deleted', [{ name: Z, type: 'NS', delete: true }]],
    ['delete not true', [{ name: 'a.example.org', type: 'A', delete: false }]],
    ['injection in a name', [a({ name: 'a.example.org. 300 A 1.2.3.4\nexample.org. NS evil.' })]],
    ['injection in rdata', [a({ records: ['1.2.3.4\nexample.org. 300 NS evil.example.'] })]],
  ];
  for (const [why, input] of bads) throwsCode(t, () => validateChange(Z, input), 'DNS_RECORD_INVALID', why);
});

t.test('plan: CNAME exclusivity against the zone, no-op deletes, unchanged RRsets skipped', async (t) => {
  const current = [
    { name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.1'] },
    { name: 'www.example.org', type: 'RRSIG', ttl: 300, records: ['x'] },
    { name: 'c.example.org', type: 'CNAME', ttl: 300, records: ['www.example.org.'] },
  ];
  const ch = (x: unknown[]) => validateChange(Z, x);
  throwsCode(t, () => planChange(current, ch([{ name: 'www.example.org', type: 'CNAME', ttl: 300, records: ['x.example.net'] }])), 'DNS_RECORD_INVALID', 'CNAME beside an A');
  throwsCode(t, () => planChange(current, ch([{ name: 'c.example.org', type: 'TXT', ttl: 300, records: ['"x"'] }])), 'DNS_RECORD_INVALID', 'data beside a CNAME');
  t.same(planChange(current, ch([
    { name: 'www.example.org', type: 'A', delete: true },
    { name: 'www.example.org', type: 'CNAME', ttl: 300, records: ['x.example.net'] },
  ])), { unset: [{ name: 'www.example.org', type: 'A', records: ['192.0.2.1'] }], set: [{ name: 'www.example.org', type: 'CNAME', ttl: 300, rdata: 'x.example.net.' }] }, 'replacing the A by a CNAME in one change is fine');
  t.same(planChange(current, ch([{ name: 'nope.example.org', type: 'A', delete: true }])), { unset: [], set: [] }, 'deleting an absent RRset is a no-op');
  t.same(planChange(current, ch([{ name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.1'] }])), { unset: [], set: [] }, 'an unchanged RRset is skipped');
  t.equal(planChange(current, ch([{ name: 'www.example.org', type: 'A', ttl: 600, records: ['192.0.2.1'] }])).unset.length, 1, 'a TTL change replaces it');
});

t.test('update script: the apex NS is replaced record by record, after the additions', async (t) => {
  const current = [{ name: Z, type: 'NS', ttl: 3600, records: ['ns1.old.test.', 'ns2.old.test.'] }, { name: `www.${Z}`, type: 'A', ttl: 300, records: ['192.0.2.1'] }];
  const plan = planChange(current, validateChange(Z, [{ name: Z, type: 'NS', ttl: 3600, records: ['ns2.old.test', 'ns1.new.test'] }, { name: `www.${Z}`, type: 'A', ttl: 300, records: ['192.0.2.2'] }]));
  const script = updateScript(Z, 'ns1.old.test. h.old.test. 1 3600 900 1209600 300', plan, { host: '127.0.0.1', port: 53 }).split('\n');
  const updates = script.filter((l) => l.startsWith('update '));
  t.same(updates, [
    `update delete www.${Z}. A`,
    `update add ${Z}. 3600 NS ns1.new.test.`,
    `update add ${Z}. 3600 NS ns2.old.test.`,
    `update add www.${Z}. 300 A 192.0.2.2`,
    `update delete ${Z}. NS ns1.old.test.`,
  ], 'no delete of the whole apex NS RRset (a server ignores it); the dropped name goes last');
  t.equal(script.at(-2), 'send');
});

t.test('initial zone file: SOA and NS only, validated', async (t) => {
  t.equal(initialZoneFile('Example.org', { nameservers: ['ns1.example.net', 'NS2.example.net.'], soaEmail: 'hostmaster@example.org' }), [
    'example.org. 3600 SOA ns1.example.net. hostmaster.example.org. 1 3600 900 1209600 300',
    'example.org. 3600 NS ns1.example.net.',
    'example.org. 3600 NS ns2.example.net.',
    '',
  ].join('\n'));
  throwsCode(t, () => initialZoneFile('org', { nameservers: ['ns1.example.net'], soaEmail: 'h@example.org' }), 'DNS_RECORD_INVALID', 'a TLD zone');
  throwsCode(t, () => initialZoneFile('example.org', { nameservers: [], soaEmail: 'h@example.org' }), 'DNS_RECORD_INVALID', 'no name servers');
  throwsCode(t, () => initialZoneFile('example.org', { nameservers: ['ns1.example.net'], soaEmail: 'first.last@example.org' }), 'DNS_RECORD_INVALID', 'a dotted local part');
  throwsCode(t, () => initialZoneFile('example.org', { nameservers: ['ns1.example.net'], soaEmail: 'nobody' }), 'DNS_RECORD_INVALID', 'not an address');
});
