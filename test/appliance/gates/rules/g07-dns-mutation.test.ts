import t from 'tap';
import { dnsMutation as gate } from '../../../../appliance/src/domain/gates/rules/g07-dns-mutation.js';
import { failsWith, judge, passes, request } from '../fixture.js';

const change = (zone: unknown, records: unknown) => request('dns.change', { resource: 'zone:example.org', params: { zone, records } });

t.test('records at or under a bound zone, of supported types, pass', async (t) => {
  const r = judge(gate, change('example.org', [
    { name: 'www.example.org.', type: 'A', data: '192.0.2.1' },
    { name: '@', type: 'MX', data: '10 mx.example.org.' },
    { name: 'EXAMPLE.ORG', type: 'TXT', data: 'v=spf1 -all' },
    { name: '_443._tcp.www.example.org', type: 'TLSA', data: '3 1 1 ab' },
    { name: '*.example.org', type: 'CNAME', data: 'www.example.org.' },
  ]));
  passes(t, r);
  t.equal(r.evidence['records'], '5');
  passes(t, judge(gate, change('Shop.Example.com.', [{ name: 'a.shop.example.com', type: 'AAAA' }])), 'zone case-insensitive');
});

t.test('a zone not bound to the IMVU fails', async (t) => {
  failsWith(t, judge(gate, change('other.example', [{ name: 'other.example', type: 'A' }])), 'ZONE_NOT_BOUND');
  failsWith(t, judge(gate, change('org', [{ name: 'example.org', type: 'A' }])), 'ZONE_NOT_BOUND', 'a parent zone is not bound');
  failsWith(t, judge(gate, change('exa..mple.org', [])), 'ZONE_INVALID');
});

t.test('records outside the zone, malformed or of unsupported type fail', async (t) => {
  failsWith(t, judge(gate, change('example.org', [{ name: 'evil.org', type: 'A' }])), 'RECORD_OUTSIDE_ZONE');
  failsWith(t, judge(gate, change('example.org', [{ name: 'notexample.org', type: 'A' }])), 'RECORD_OUTSIDE_ZONE', 'suffix without a dot boundary');
  failsWith(t, judge(gate, change('example.org', [{ name: 'www..example.org', type: 'A' }])), 'RECORD_INVALID');
  failsWith(t, judge(gate, change('example.org', [{ name: 'a.*.example.org', type: 'A' }])), 'RECORD_INVALID', 'wildcard only leftmost');
  failsWith(t, judge(gate, change('example.org', ['www'])), 'RECORD_INVALID');
  failsWith(t, judge(gate, change('example.org', [{ name: 'www.example.org', type: 'PTR' }])), 'RECORD_TYPE_UNSUPPORTED');
  failsWith(t, judge(gate, change('example.org', [{ name: 'www.example.org', type: 'a' }])), 'RECORD_TYPE_UNSUPPORTED', 'type is exact');
  failsWith(t, judge(gate, change('example.org', [])), 'RECORDS_MISSING');
  failsWith(t, judge(gate, change('example.org', Array(1001).fill({ name: '@', type: 'A' }))), 'TOO_MANY_RECORDS');
});
