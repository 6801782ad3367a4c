import t from 'tap';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportMailbox, mboxrdEntry } from '../../../appliance/src/mail/index.js';
import { commit, stage } from '../../../haraka-plugin-nexus/src/maildir.js';
import { throwsCode } from '../../helpers/codes.js';

// Export reads what the plugin's Maildir writer wrote (the same code Haraka runs).
t.test('a mailbox exports as a Maildir copy and an mboxrd file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-mailexp-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const box = join(dir, 'mail', 'example.org', 'alice');
  const m1 = Buffer.from('From: a@remote.test\r\nSubject: one\r\n\r\nFrom the start\r\n>From quoted\r\n');
  const m2 = Buffer.from('From: b@remote.test\r\nSubject: two\r\n\r\nsecond\r\n');
  await commit([await stage(box, m1)]);
  await commit([await stage(box, m2)]);
  writeFileSync(join(box, 'tmp', 'half-written'), 'not delivered');
  mkdirSync(join(box, 'cur'), { recursive: true });
  const out = join(dir, 'out');
  const r = exportMailbox(join(dir, 'mail'), 'alice@example.org', out, new Date('2026-11-26T10:00:00Z'));
  t.equal(r.messages, 2);
  t.same(readdirSync(join(out, 'Maildir', 'new')).sort(), readdirSync(join(box, 'new')).sort(), 'the same files');
  t.same(readdirSync(join(out, 'Maildir', 'tmp')), [], 'tmp/ is not exported');
  const mbox = readFileSync(r.mbox, 'latin1');
  t.equal(mbox.match(/^From MAILER-DAEMON /gm)?.length, 2, 'two separators');
  t.match(mbox, /^>From the start$/m, 'a body line starting with From is quoted');
  t.match(mbox, /^>>From quoted$/m, 'mboxrd: an already quoted line gets one more >');
  t.notOk(mbox.includes('\r'), 'LF line ends');
  t.equal(mboxrdEntry(Buffer.from('a'), new Date(0)), 'From MAILER-DAEMON Thu, 01 Jan 1970 00:00:00 GMT\na\n\n');
  throwsCode(t, () => exportMailbox(join(dir, 'mail'), '../../etc@example.org', out, new Date()), 'INPUT_INVALID');
  const empty = exportMailbox(join(dir, 'mail'), 'nobody@example.org', join(dir, 'out2'), new Date());
  t.equal(empty.messages, 0, 'a mailbox with no mail exports empty');
});
