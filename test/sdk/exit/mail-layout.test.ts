// The mail section's formats: the Maildir name mapping and byte-exact mboxrd, with property
// tests (any name maps into the bundle grammar and back; any messages round-trip the mbox).
import t from 'tap';
import fc from 'fast-check';
import { isBundlePath } from '../../../sdk/src/exit/layout.js';
import { maildirMemberName, maildirNameOf, sortMessages } from '../../../sdk/src/exit/mail-layout.js';
import { mboxrdEntry, readMbox } from '../../../sdk/src/exit/mboxrd.js';

t.test('Maildir names map into the bundle grammar, reversibly', async (t) => {
  t.equal(maildirMemberName('1732623456789.R0f3a.host:2,S'), '1732623456789.R0f3a.host_3a2_2cS');
  t.equal(maildirMemberName('a_b'), 'a_5fb', 'the escape character itself is escaped');
  t.equal(maildirNameOf('1732623456789.R0f3a.host_3a2_2cS'), '1732623456789.R0f3a.host:2,S');
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }), (name) => {
    const m = maildirMemberName(name);
    // Reversible whenever the mapping fits one segment; a longer one is hashed (checked below).
    const mappedLength = [...Buffer.from(name, 'utf8')].reduce((n, b) => n + (/[A-Za-z0-9.-]/.test(String.fromCharCode(b)) ? 1 : 3), 0);
    return isBundlePath(`mail/d/l/Maildir/new/${m}`) && (mappedLength > 128 ? m.length === 128 : maildirNameOf(m) === name);
  }));
  const long = `${'x'.repeat(100)}:2,S${'y'.repeat(40)}`;
  const m = maildirMemberName(long);
  t.ok(m.length <= 128 && isBundlePath(m), 'a long name stays within one segment');
  t.not(maildirMemberName(`${long}z`), m, 'and stays distinct');
});

t.test('mboxrd is byte exact: escapes From lines, keeps CRLF, reads back', async (t) => {
  const msg = Buffer.from('Subject: x\r\n\r\nFrom here\r\n>From there\r\n', 'latin1');
  t.equal(Buffer.from(mboxrdEntry(msg)).toString('latin1'), 'From MAILER-DAEMON Thu Jan  1 00:00:00 1970\nSubject: x\r\n\r\n>From here\r\n>>From there\r\n\n');
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from(b), Buffer.from('\n')])), { maxLength: 6 }), (msgs) => {
    const mbox = Buffer.concat(msgs.map((m) => mboxrdEntry(m)));
    const back = readMbox(mbox);
    return back !== undefined && back.length === msgs.length && back.every((b, i) => Buffer.compare(Buffer.from(b), msgs[i] as Buffer) === 0);
  }));
  t.same(readMbox(Buffer.from(mboxrdEntry(Buffer.from('no final newline')))), [Buffer.from('no final newline\n')], 'the LF the writer adds is visible');
  t.equal(readMbox(Buffer.from('Subject: not an mbox\n')), undefined, 'refuses a file without a From line');
  t.same(readMbox(new Uint8Array(0)), [], 'an empty mailbox is an empty mbox');
});

t.test('a mailbox state has one order: digest, then size', async (t) => {
  const a = { sha256: 'a'.repeat(64), size: '10' };
  const b = { sha256: 'a'.repeat(64), size: '9' };
  const c = { sha256: 'b'.repeat(64), size: '1' };
  t.same(sortMessages([c, a, b]), [b, a, c]);
});
