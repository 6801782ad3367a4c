import t from 'tap';
import { decideHeaderFrom, decideRecipient, decideSender, parseMailboxAddress, recipientMailbox, splitAddress, type MailLookup, type Mailbox, type Verdict } from '../../../appliance/src/domain/mail/index.js';

// The pure SMTP decisions, without Haraka: the same code the plugin's answers come from.
const boxes: Mailbox[] = [
  { address: 'alice@example.org', imvu: 'IMVU-001', identity: 'did:key:alice' },
  { address: 'bob@example.org', imvu: 'IMVU-001', identity: 'did:key:bob' },
  { address: 'carol@other.example', imvu: 'IMVU-002', identity: 'did:key:carol' },
  { address: 'dan@pending.example', imvu: 'IMVU-003', identity: 'did:key:dan' },
];
const look: MailLookup = {
  domain: (d) => ({ 'example.org': { domain: d, imvu: 'IMVU-001', enabled: true }, 'other.example': { domain: d, imvu: 'IMVU-002', enabled: true }, 'pending.example': { domain: d, imvu: 'IMVU-003', enabled: false } })[d],
  mailbox: (a) => boxes.find((b) => b.address === a),
};
const reply = (v: Verdict<unknown>) => (v.ok ? 'ok' : `${v.code} ${v.status}`);

t.test('addresses: mailbox grammar, wire splitting, recipient folding', async (t) => {
  t.ok(parseMailboxAddress('alice@example.org'));
  t.ok(parseMailboxAddress('a.b-c_d@example.org'));
  for (const bad of ['Alice@example.org', 'a+b@example.org', '"a"@example.org', 'a..b@example.org', '.a@example.org', 'a.@example.org', 'a@exa_mple.org', 'a@*.example.org', 'a b@example.org', '@example.org', 'a@', 'a@-x.org']) {
    t.equal(parseMailboxAddress(bad), undefined, `${bad} is not a mailbox address`);
  }
  t.same(splitAddress('Alice+x@EXAMPLE.org.'), { local: 'Alice+x', domain: 'example.org' }, 'domain normalized, local kept');
  t.equal(splitAddress('"a"@example.org'), undefined, 'quoted local parts are not decoded');
  t.equal(splitAddress('a\r\nb@example.org'), undefined);
  t.same(recipientMailbox({ local: 'Alice+News', domain: 'example.org' }), { local: 'alice', domain: 'example.org' });
});

t.test('MAIL FROM: authenticated senders are exactly their mailbox', async (t) => {
  const rows: [string | undefined, string, string][] = [
    ['alice@example.org', 'alice@example.org', 'ok'],
    ['alice@example.org', 'alice@EXAMPLE.ORG', 'ok'],
    ['alice@example.org', 'Alice@example.org', '553 5.7.1'],
    ['alice@example.org', 'alice+x@example.org', '553 5.7.1'],
    ['alice@example.org', 'bob@example.org', '553 5.7.1'],
    ['alice@example.org', 'carol@other.example', '553 5.7.1'],
    ['alice@example.org', '"alice"@example.org', '553 5.1.7'],
    ['alice@example.org', '', '553 5.7.1'],
    ['dan@pending.example', 'dan@pending.example', '550 5.7.1'],
    ['ghost@example.org', 'ghost@example.org', '550 5.7.1'],
    [undefined, '', 'ok'],
    [undefined, 'someone@remote.test', 'ok'],
    [undefined, 'alice@example.org', '530 5.7.0'],
    [undefined, 'x@Other.Example', '530 5.7.0'],
    [undefined, 'not an address', '553 5.1.7'],
  ];
  for (const [user, from, want] of rows) t.equal(reply(decideSender(look, user, from)), want, `${user ?? 'anonymous'} as <${from}>`);
});

t.test('RCPT TO: relaying needs AUTH; local delivery needs an existing mailbox on an enabled domain', async (t) => {
  const rows: [string | undefined, string, string][] = [
    [undefined, 'alice@example.org', 'ok'],
    [undefined, 'ALICE+tag@Example.org', 'ok'],
    [undefined, 'nobody@example.org', '550 5.1.1'],
    [undefined, 'carol@example.org', '550 5.1.1'],
    [undefined, 'dan@pending.example', '550 5.1.2'],
    [undefined, 'dave@remote.test', '550 5.7.1'],
    [undefined, '"alice"@example.org', '553 5.1.3'],
    ['alice@example.org', 'dave@remote.test', 'ok'],
  ];
  for (const [user, to, want] of rows) t.equal(reply(decideRecipient(look, user, to)), want, `${user ?? 'anonymous'} to <${to}>`);
  const v = decideRecipient(look, undefined, 'alice+x@example.org');
  t.equal(v.ok ? v.value.mailbox?.address : '', 'alice@example.org', 'the tag is dropped');
});

t.test('header From: exactly one mailbox, the authenticated one', async (t) => {
  const u = 'alice@example.org';
  t.equal(reply(decideHeaderFrom(look, u, u, ['alice@example.org'])), 'ok');
  t.equal(reply(decideHeaderFrom(look, u, u, ['alice@Example.ORG'])), 'ok');
  t.equal(reply(decideHeaderFrom(look, u, u, [])), '550 5.6.0');
  t.equal(reply(decideHeaderFrom(look, u, u, ['alice@example.org', 'bob@example.org'])), '550 5.7.1');
  t.equal(reply(decideHeaderFrom(look, u, u, ['bob@example.org'])), '550 5.7.1');
  t.equal(reply(decideHeaderFrom(look, u, u, ['Alice@example.org'])), '550 5.7.1');
  t.equal(reply(decideHeaderFrom(look, u, u, [''])), '553 5.1.7', 'a group or unparseable From');
  t.equal(reply(decideHeaderFrom(look, u, 'bob@example.org', ['alice@example.org'])), '550 5.7.1', 'MAIL FROM is checked again');
});
