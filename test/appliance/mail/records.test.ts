import t from 'tap';
import { mailRecords, publishedFlags, txt, undoChange } from '../../../appliance/src/domain/mail/index.js';
import { validateChange } from '../../../appliance/src/domain/dns/index.js';

const key = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'.padEnd(392, 'A');

t.test('mail records: MX, SPF merged into the apex TXT, DKIM split into 255-byte strings, DMARC', async (t) => {
  const rrsets = mailRecords({ domain: 'example.org', mxHost: 'mx.example.net', selector: 'nx20261126', publicKey: key, keyType: 'rsa', apexTxt: ['"nexus-cos-challenge=abc"', '"v=spf1 a -all"'] });
  t.same(rrsets.map((r) => `${r.name} ${r.type}`), ['example.org MX', 'example.org TXT', 'nx20261126._domainkey.example.org TXT', '_dmarc.example.org TXT']);
  t.same(rrsets[1]?.records, ['"nexus-cos-challenge=abc"', '"v=spf1 mx -all"'], 'the old SPF is replaced, other TXT kept (RFC 7208 §3.2)');
  const dkim = rrsets[2]?.records[0] ?? '';
  t.ok(dkim.split('" "').every((s) => s.replace(/"/g, '').length <= 255), 'no string over 255 bytes');
  t.equal(dkim.replace(/" "/g, '').replace(/"/g, ''), `v=DKIM1; k=rsa; p=${key}`, 'the strings join back to the key record');
  t.same(publishedFlags('example.org', 'nx20261126', rrsets), { dkim: true, spf: true, dmarc: true });
  t.same(publishedFlags('example.org', 'other', rrsets), { dkim: false, spf: true, dmarc: true }, 'the selector matters');
  t.doesNotThrow(() => validateChange('example.org', rrsets), 'the DNS domain accepts every record');
  t.equal(txt('x'.repeat(256)), `"${'x'.repeat(255)}" "x"`);
});

t.test('undo: published RRsets go back to what was there, or away', async (t) => {
  const before = [{ name: 'example.org', type: 'TXT' as const, ttl: 300, records: ['"keep"'] }];
  const published = mailRecords({ domain: 'example.org', mxHost: 'mx.example.net', selector: 's', publicKey: key, keyType: 'rsa' });
  const undo = undoChange(before, published);
  t.same(undo[1], before[0], 'the apex TXT comes back');
  t.same(undo.filter((c) => 'delete' in c).map((c) => c.name), ['example.org', 's._domainkey.example.org', '_dmarc.example.org'], 'the rest is deleted');
});
