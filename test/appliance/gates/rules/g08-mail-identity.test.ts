import t from 'tap';
import { mailIdentity as gate } from '../../../../appliance/src/domain/gates/rules/g08-mail-identity.js';
import { facts, failsWith, imvuFacts, judge, passes, request } from '../fixture.js';

t.test('mailbox.create: the domain is bound and mail-ready', async (t) => {
  passes(t, judge(gate, request('mailbox.create', { params: { address: 'bob@Example.ORG' } })));
  failsWith(t, judge(gate, request('mailbox.create', { params: { address: 'bob@evil.example' } })), 'DOMAIN_UNVERIFIED');
  failsWith(t, judge(gate, request('mailbox.create', { params: { address: 'bob@shop.example.com' } })), 'MAIL_DNS_MISSING');
  failsWith(t, judge(gate, request('mailbox.create', { params: { address: 'bob' } })), 'ADDRESS_INVALID');
});

t.test('mail.enable: the domain is bound and DKIM, SPF and DMARC are published', async (t) => {
  const all = { dkim: true, spf: true, dmarc: true };
  passes(t, judge(gate, request('mail.enable', { params: { domain: 'shop.example.com', published: all } })));
  const r = judge(gate, request('mail.enable', { params: { domain: 'shop.example.com', published: { ...all, dmarc: false } } }));
  failsWith(t, r, 'MAIL_DNS_MISSING');
  t.equal(r.evidence['missing'], 'dmarc');
  failsWith(t, judge(gate, request('mail.enable', { params: { domain: 'shop.example.com', published: { dkim: 'yes', spf: 1, dmarc: true } } })), 'MAIL_DNS_MISSING', 'only true counts');
  failsWith(t, judge(gate, request('mail.enable', { params: { domain: 'evil.example', published: all } })), 'DOMAIN_UNVERIFIED');
});

t.test('mail.send: envelope and header senders are both mailboxes of the IMVU', async (t) => {
  const send = (mailFrom: unknown, headerFrom: unknown) => judge(gate, request('mail.send', { params: { mailFrom, headerFrom } }));
  passes(t, send('Alice@example.org', 'Alice@EXAMPLE.ORG.'), 'domain case-insensitive');
  failsWith(t, send('alice@example.org', 'Alice@example.org'), 'SENDER_NOT_BOUND', 'local part is exact (RFC 5321 §2.4)');
  const r = send('Alice@example.org', 'ceo@example.org');
  failsWith(t, r, 'SENDER_NOT_BOUND');
  t.equal(r.evidence['field'], 'headerFrom');
  failsWith(t, send('<>', 'Alice@example.org'), 'ADDRESS_INVALID');
  failsWith(t, send('Alice@example.org', undefined), 'ADDRESS_INVALID');
  const other = facts({ imvus: [imvuFacts({ mailboxes: [] })] });
  failsWith(t, judge(gate, request('mail.send', { params: { mailFrom: 'Alice@example.org', headerFrom: 'Alice@example.org' } }), other), 'SENDER_NOT_BOUND');
});

t.test('an unknown IMVU or an action the gate has no rule for fails closed', async (t) => {
  failsWith(t, judge(gate, request('mail.send', { imvu: 'IMVU-999' })), 'IMVU_UNKNOWN');
  failsWith(t, judge(gate, request('mail.forward')), 'UNHANDLED_ACTION');
});
