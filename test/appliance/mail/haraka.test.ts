import { createHash } from 'node:crypto';
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEntry } from '@nexus-cos/sdk';
import nodemailer from 'nodemailer';
import { trustedRoot } from '../../helpers/ledger.js';
import { eventually } from '../../helpers/ports.js';
import { startMailRig, type MailRig } from './harness.js';
import { BOB, PW, seed } from './seed.js';
import { authAs, rawSession, swaks } from './smtp.js';

// Against a real Haraka 3.3.4 running haraka-plugin-nexus (built to CommonJS, loaded from
// node_modules), the appliance's decision channel on a unix socket, swaks and nodemailer.
let rig: MailRig;
t.before(async () => {
  rig = await startMailRig();
  await seed(rig);
});
t.teardown(() => rig.stop());

/** The message files in a Maildir folder; none when the Maildir does not exist yet. */
function inbox(local: string, sub = 'new'): string[] {
  try {
    return readdirSync(join(rig.mailRoot, 'example.org', local, sub));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
}
const alice = authAs('alice@example.org', PW.alice);

t.test('inbound mail lands in the right Maildir; plus tags and case fold to the mailbox', async (t) => {
  const before = inbox('alice').length;
  for (const to of ['alice@example.org', 'alice+news@example.org', 'ALICE@Example.ORG']) {
    const r = await swaks(rig.port, ['--from', 'sender@remote.test', '--to', to, '--header', `Subject: to ${to}`]);
    t.equal(r.exit, 0, `${to} accepted`);
    t.match(r.reply, /^250 /, `${to}: 250`);
  }
  const names = inbox('alice');
  t.equal(names.length, before + 3, 'three messages in alice/new');
  t.same(inbox('alice', 'tmp'), [], 'nothing left in tmp/');
  const bodies = names.map((n) => readFileSync(join(rig.mailRoot, 'example.org', 'alice', 'new', n), 'utf8'));
  t.ok(bodies.some((b) => b.includes('Subject: to alice+news@example.org')), 'the tagged message is in alice\u2019s Maildir');
  t.equal(readdirSync(join(rig.mailRoot, 'example.org')).sort().join(','), 'alice', 'no other Maildir was created');
});

t.test('a null-sender bounce is delivered (RFC 5321 §4.5.5)', async (t) => {
  const r = await swaks(rig.port, ['--from', '<>', '--to', 'bob@example.org']);
  t.equal(r.exit, 0);
  t.equal(inbox('bob').length, 1);
});

t.test('each delivered message is a platform-signed usage event (messages, bytes) for the IMVU and identity', async (t) => {
  const r = await swaks(rig.port, ['--from', 'sender@remote.test', '--to', 'bob@example.org', '--body', 'metered']);
  t.equal(r.exit, 0);
  const uuid = /Message stored \(([A-F0-9.-]+)\)/.exec(r.transcript)?.[1];
  t.ok(uuid, 'Haraka named the transaction');
  const events = [...rig.ledger.store.scan()].map((e) => openEntry(e.bytes, trustedRoot.keys)).filter((o) => o.entry.kind === 'usage' && (o.entry as { id: string }).id.startsWith(`${uuid}/bob@example.org/`));
  t.equal(events.length, 2, 'one messages event and one bytes event, each verified against the platform key');
  const byMeter = Object.fromEntries(events.map((o) => [(o.entry as { meter: string }).meter, o.entry as unknown as Record<string, string>]));
  t.equal(byMeter['mail.messages']?.quantity, '1');
  const stored = readFileSync(join(rig.mailRoot, 'example.org', 'bob', 'new', inbox('bob').sort().at(-1) as string));
  t.equal(byMeter['mail.bytes']?.quantity, String(stored.length), 'bytes = the stored message size');
  t.equal(byMeter['mail.messages']?.imvu, 'IMVU-001');
  t.equal(byMeter['mail.messages']?.actor, BOB, 'attributed to the mailbox\u2019s identity');
  const mail = [...rig.ledger.store.scan()].map((e) => openEntry(e.bytes, trustedRoot.keys).entry).filter((e) => e.kind === 'mail' && e.mailbox === 'bob@example.org');
  const last = mail.at(-1) as { direction: string; message: string; size: string } | undefined;
  t.same(last && { direction: last.direction, size: last.size }, { direction: 'inbound', size: String(stored.length) }, 'a signed mail entry for the mailbox');
  t.equal(last?.message, createHash('sha256').update(stored).digest('hex'), 'naming the message by the SHA-256 of the stored bytes (the exit proves mailboxes against it)');
});

// The spoofing matrix of spec/mail.md. Each row: how, expected exit of swaks, expected reply.
const MATRIX: { name: string; args: string[]; exit: number; reply: RegExp }[] = [
  { name: 'another user\u2019s address', args: [...alice, '--from', 'bob@example.org', '--to', 'dave@remote.test'], exit: 23, reply: /^553 5\.7\.1 / },
  { name: 'another IMVU\u2019s domain', args: [...alice, '--from', 'carol@other.example', '--to', 'dave@remote.test'], exit: 23, reply: /^553 5\.7\.1 / },
  { name: 'a domain that is not ours at all', args: [...alice, '--from', 'alice@gmail.test', '--to', 'dave@remote.test'], exit: 23, reply: /^553 5\.7\.1 / },
  { name: 'header From differs from MAIL FROM', args: [...alice, '--from', 'alice@example.org', '--to', 'dave@remote.test', '--header', 'From: bob@example.org'], exit: 26, reply: /^550 5\.7\.1 / },
  { name: 'header From with a display name of another user', args: [...alice, '--from', 'alice@example.org', '--to', 'dave@remote.test', '--header', 'From: "Alice" <carol@other.example>'], exit: 26, reply: /^550 5\.7\.1 / },
  { name: 'two header From mailboxes', args: [...alice, '--from', 'alice@example.org', '--to', 'dave@remote.test', '--header', 'From: alice@example.org, bob@example.org'], exit: 26, reply: /^550 5\.7\.1 / },
  { name: 'local-part case variant', args: [...alice, '--from', 'Alice@example.org', '--to', 'dave@remote.test'], exit: 23, reply: /^553 5\.7\.1 / },
  { name: 'quoted local part', args: [...alice, '--from', '"alice"@example.org', '--to', 'dave@remote.test'], exit: 23, reply: /^553 5\.1\.7 / },
  { name: 'the null sender', args: [...alice, '--from', '<>', '--to', 'dave@remote.test'], exit: 23, reply: /^553 5\.7\.1 / },
  { name: 'plus-addressed sender', args: [...alice, '--from', 'alice+shop@example.org', '--to', 'dave@remote.test'], exit: 23, reply: /^553 5\.7\.1 / },
  { name: 'unauthenticated relay', args: ['--from', 'x@remote.test', '--to', 'dave@elsewhere.test'], exit: 24, reply: /^550 5\.7\.1 / },
  { name: 'unauthenticated sender in our domain', args: ['--from', 'alice@example.org', '--to', 'bob@example.org'], exit: 23, reply: /^530 5\.7\.0 / },
  { name: 'unknown local mailbox', args: ['--from', 'x@remote.test', '--to', 'nobody@example.org'], exit: 24, reply: /^550 5\.1\.1 / },
  { name: 'wrong password', args: [...authAs('alice@example.org', 'not-her-password'), '--from', 'alice@example.org', '--to', 'dave@remote.test'], exit: 28, reply: /^535 5\.7\.8 / },
];

t.test('the spoofing matrix is refused with precise 5xx and enhanced codes', async (t) => {
  const remoteBefore = rig.remote.length;
  for (const row of MATRIX) {
    const r = await swaks(rig.port, row.args);
    t.equal(r.exit, row.exit, `${row.name}: swaks exit ${row.exit}`);
    t.match(r.reply, row.reply, `${row.name}: ${r.reply}`);
  }
  t.equal(rig.remote.length, remoteBefore, 'nothing reached the remote MX');
});

t.test('the domain part is compared case-insensitively, as RFC 5321 allows', async (t) => {
  const r = await swaks(rig.port, [...alice, '--from', 'alice@EXAMPLE.org', '--to', 'dave@remote.test', '--header', 'From: Alice <alice@Example.Org>']);
  t.equal(r.exit, 0, r.reply);
  t.ok(await eventually(() => rig.remote.some((m) => m.from === 'alice@EXAMPLE.org'), 10_000), 'delivered to the remote MX');
});

t.test('nodemailer: authenticated mail is accepted, DKIM-signed and delivered to the remote MX', async (t) => {
  const tx = nodemailer.createTransport({ host: '127.0.0.1', port: rig.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: 'alice@example.org', pass: PW.alice } });
  t.teardown(() => tx.close());
  const info = await tx.sendMail({ from: 'Alice <alice@example.org>', to: 'dave@remote.test', subject: 'hello from nodemailer', text: 'bound and signed' });
  t.match(info.response, /^250 /);
  const got = await eventually(() => rig.remote.find((m) => m.data.includes('hello from nodemailer')), 10_000);
  t.ok(got, 'the remote MX received it');
  t.match(got?.data.toString() ?? '', /^DKIM-Signature: v=1; a=rsa-sha256;/m, 'signed');
  t.same(got?.to, ['dave@remote.test']);
});

t.test('appliance down: MAIL is answered 451 4.3.0, and an accepted RCPT ends in 4xx at DATA, never 250', async (t) => {
  const s = await rawSession(rig.port);
  t.teardown(() => s.close());
  t.match(await s.send('EHLO client.test'), /^250/m);
  t.match(await s.send('MAIL FROM:<sender@remote.test>'), /^250 /);
  t.match(await s.send('RCPT TO:<bob@example.org>'), /^250 /);
  const before = inbox('bob').length;
  await rig.stopChannel();
  t.teardown(() => rig.startChannel());
  t.match(await s.send('DATA'), /^354 /);
  const reply = await s.send('Subject: during an outage\r\n\r\nbody\r\n.');
  t.match(reply, /^4\d\d 4\.3\.0 /, `queued message tempfailed: ${reply}`);
  t.equal(inbox('bob').length, before, 'nothing was delivered');
  t.same(inbox('bob', 'tmp'), [], 'the staged copy was removed');
  const r = await swaks(rig.port, ['--from', 'sender@remote.test', '--to', 'bob@example.org']);
  t.equal(r.exit, 23, 'a new message is refused at MAIL');
  t.match(r.reply, /^451 4\.3\.0 /);
  const a = await swaks(rig.port, [...alice, '--from', 'alice@example.org', '--to', 'dave@remote.test']);
  t.match(a.reply, /^454 4\.7\.0 /, 'AUTH tempfails too');
});
