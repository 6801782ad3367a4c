import t, { type Test } from 'tap';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMailDirectory } from '../../../appliance/src/adapters/sqlite/mail-directory.js';
import { MailProvisioning, hashPassword, verifyPassword } from '../../../appliance/src/mail/index.js';
import type { MailDnsPublisher } from '../../../appliance/src/ports/mail-dns.js';
import { rejectsCode, throwsCode } from '../../helpers/codes.js';
import { memoryPublisher } from './harness.js';

// Provisioning over the real SQLite directory; DNS here is an in-memory zone (dkim.test.ts
// shows the same flow against a real Knot).
function setup(t: Pick<Test, 'teardown'>, dns: MailDnsPublisher = memoryPublisher()) {
  const dir = mkdtempSync(join(tmpdir(), 'nx-mailprov-'));
  const directory = new SqliteMailDirectory(join(dir, 'mail.sqlite'));
  t.teardown(() => {
    directory.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const p = new MailProvisioning({ directory, dns, clock: { now: () => new Date('2026-11-26T10:00:00Z') }, dkimDir: join(dir, 'dkim'), mxHost: 'mx.example.net' });
  return { dir, directory, p };
}

t.test('enable: key (0600), records, then enabled; twice is a conflict; unbound is gate 8', async (t) => {
  const { dir, directory, p } = setup(t);
  directory.addDomain('example.org', 'IMVU-001');
  await rejectsCode(t, () => p.enable('IMVU-002', 'did:key:x', 'example.org'), 'GATE_MAIL_IDENTITY', 'another IMVU\u2019s domain');
  await rejectsCode(t, () => p.enable('IMVU-001', 'did:key:x', 'unbound.example'), 'GATE_MAIL_IDENTITY');
  await rejectsCode(t, () => p.enable('IMVU-001', 'did:key:x', 'bad..name'), 'INPUT_INVALID');
  const { selector } = await p.enable('IMVU-001', 'did:key:x', 'Example.ORG.');
  t.equal(selector, 'nx20261126');
  t.equal(directory.domain('example.org')?.enabled, true);
  t.equal(statSync(join(dir, 'dkim', 'example.org', 'private')).mode & 0o777, 0o600, 'the private key is 0600');
  t.equal(statSync(join(dir, 'mail.sqlite')).mode & 0o777, 0o600, 'the directory (credential hashes) is 0600');
  await rejectsCode(t, () => p.enable('IMVU-001', 'did:key:x', 'example.org'), 'CONFLICT');
  throwsCode(t, () => directory.addDomain('example.org', 'IMVU-002'), 'CONFLICT');
});

t.test('enable: records that are not served are refused by gate 8, and everything is undone', async (t) => {
  const mem = memoryPublisher();
  mem.zone.set('example.org/TXT', { name: 'example.org', type: 'TXT', ttl: 300, records: ['"challenge=1"'] });
  // A DNS path that drops DMARC on the floor: what is served is what gate 8 judges.
  const lossy: MailDnsPublisher = { read: mem.read, publish: (d, changes) => mem.publish(d, changes.filter((c) => !c.name.startsWith('_dmarc.') || 'delete' in c)) };
  const { dir, directory, p } = setup(t, lossy);
  directory.addDomain('example.org', 'IMVU-001');
  await rejectsCode(t, () => p.enable('IMVU-001', 'did:key:x', 'example.org'), 'GATE_MAIL_IDENTITY');
  t.equal(directory.domain('example.org')?.enabled, false, 'not enabled');
  t.notOk(existsSync(join(dir, 'dkim', 'example.org')), 'the DKIM key was removed');
  t.same([...mem.zone.values()], [{ name: 'example.org', type: 'TXT', ttl: 300, records: ['"challenge=1"'] }], 'the zone is as it was');
});

t.test('mailboxes: only on an enabled domain of the IMVU; the password is only ever a scrypt hash', async (t) => {
  const { directory, p } = setup(t);
  directory.addDomain('example.org', 'IMVU-001');
  await rejectsCode(t, () => p.createMailbox('IMVU-001', 'did:key:a', 'alice@example.org', 'long-enough-password'), 'GATE_MAIL_IDENTITY', 'not yet enabled');
  await p.enable('IMVU-001', 'did:key:a', 'example.org');
  await rejectsCode(t, () => p.createMailbox('IMVU-002', 'did:key:z', 'zed@example.org', 'long-enough-password'), 'GATE_MAIL_IDENTITY', 'another IMVU\u2019s domain');
  await rejectsCode(t, () => p.createMailbox('IMVU-001', 'did:key:a', 'Alice@example.org', 'long-enough-password'), 'INPUT_INVALID');
  await rejectsCode(t, () => p.createMailbox('IMVU-001', 'did:key:a', 'alice+x@example.org', 'long-enough-password'), 'INPUT_INVALID');
  await rejectsCode(t, () => p.createMailbox('IMVU-001', 'did:key:a', 'alice@example.org', 'short'), 'INPUT_INVALID');
  const box = await p.createMailbox('IMVU-001', 'did:key:a', 'alice@example.org', 'long-enough-password');
  t.same(box, { address: 'alice@example.org', imvu: 'IMVU-001', identity: 'did:key:a' });
  await rejectsCode(t, () => p.createMailbox('IMVU-001', 'did:key:a', 'alice@example.org', 'long-enough-password'), 'CONFLICT');
  const stored = directory.credential('alice@example.org') ?? '';
  t.match(stored, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/, 'scrypt with its parameters and a salt');
  t.notOk(stored.includes('long-enough-password'));
  t.ok(await verifyPassword('long-enough-password', stored));
  t.notOk(await verifyPassword('long-enough-passworD', stored));
  t.not(await hashPassword('same'), await hashPassword('same'), 'a fresh salt per hash');
  t.notOk(await verifyPassword('x', 'plaintext'), 'a malformed stored value never matches');
});
