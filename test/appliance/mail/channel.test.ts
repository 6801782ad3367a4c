import t from 'tap';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMailDirectory } from '../../../appliance/src/adapters/sqlite/mail-directory.js';
import { MailAuthority, MailChannelServer } from '../../../appliance/src/mail/index.js';
import type { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { ChannelClient } from '../../../haraka-plugin-nexus/src/channel.js';
import { openLedger, tempDb } from '../../helpers/ledger.js';

// The decision channel on a real unix socket: the plugin's client against the appliance's
// server. What matters is that every failure becomes a 4xx, and how long a decision takes.
function setup(t: { teardown(fn: () => unknown): void }, ledger: Ledger = openLedger(tempDb())) {
  const dir = mkdtempSync(join(tmpdir(), 'nx-chan-'));
  const directory = new SqliteMailDirectory(':memory:');
  directory.addDomain('example.org', 'IMVU-001');
  directory.setEnabled('example.org', true, 'nx1');
  directory.addMailbox({ address: 'bob@example.org', imvu: 'IMVU-001', identity: 'did:key:bob' }, 'scrypt$1$1$1$AA==$AA==');
  const authority = new MailAuthority({ directory, ledger, clock: { now: () => new Date() }, mailRoot: join(dir, 'mail') });
  const server = new MailChannelServer(authority);
  const socket = join(dir, 'mail.sock');
  const client = new ChannelClient(socket, 2000);
  t.teardown(async () => {
    client.close();
    await server.close();
    directory.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { server, socket, client, ledger };
}

t.test('decisions round-trip; the socket is 0600', async (t) => {
  const { server, socket, client } = setup(t);
  await server.listen(socket);
  t.equal(statSync(socket).mode & 0o777, 0o600);
  const r = await client.ask({ op: 'rcpt', to: 'Bob+x@example.org' });
  t.same(r.ok ? { mailbox: r.mailbox, maildir: r.maildir?.endsWith(join('mail', 'example.org', 'bob')) } : r, { mailbox: 'bob@example.org', maildir: true });
  const no = await client.ask({ op: 'mail', from: 'bob@example.org' });
  t.same(no.ok ? 'ok' : [no.code, no.status], [530, '5.7.0']);
});

t.test('nobody listening, a dropped connection, a silent server: all tempfail (451 4.3.0)', async (t) => {
  const { server, socket, client } = setup(t);
  const down = await client.ask({ op: 'mail', from: 'x@remote.test' });
  t.same(down.ok ? 'ok' : [down.code, down.status], [451, '4.3.0'], 'no socket');
  await server.listen(socket);
  t.equal((await client.ask({ op: 'mail', from: 'x@remote.test' })).ok, true, 'reconnects once the appliance is back');
  await server.close();
  const after = await client.ask({ op: 'mail', from: 'x@remote.test' });
  t.same(after.ok ? 'ok' : after.code, 451, 'server gone again');
});

t.test('a failing ledger turns a meter into a tempfail; malformed requests are refused', async (t) => {
  const ledger = openLedger(tempDb());
  await ledger.close();
  const { server, socket, client } = setup(t, ledger);
  await server.listen(socket);
  const r = await client.ask({ op: 'meter', message: 'ABC.1', bytes: 10, sha256: 'a'.repeat(64), recipients: ['bob@example.org'] });
  t.same(r.ok ? 'ok' : [r.code, r.status], [451, '4.3.0'], 'the meter could not be made durable');
  const bad = await client.ask({ op: 'meter', message: '../../etc', bytes: 10, sha256: 'a'.repeat(64), recipients: [] });
  t.same(bad.ok ? 'ok' : bad.code, 554, 'a message id outside its grammar');
  const raw = await new Promise<string>((resolve) => {
    const s = connect(socket);
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      resolve(d);
      s.destroy();
    });
    s.write('{"id":1,"op":"auth","user":5}\n');
  });
  t.match(raw, /^\{"id":1,"ok":false,"code":451,"status":"4\.3\.0"/, 'wrong field types are not coerced: a tempfail to that id');
  const t0 = Date.now();
  const long = await client.ask({ op: 'data', user: 'bob@example.org', from: 'bob@example.org', headerFrom: ['x'.repeat(2000)] });
  t.same(long.ok ? 'ok' : [long.code, long.status], [451, '4.3.0'], 'an oversized field is a tempfail');
  t.ok(Date.now() - t0 < 1500, 'answered by the server, not by the client\'s 2 s timeout');
});

t.test('latency of one decision over the socket (measured, printed)', async (t) => {
  const { server, socket, client } = setup(t);
  await server.listen(socket);
  await client.ask({ op: 'mail', from: 'warm@remote.test' });
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = process.hrtime.bigint();
    const r = await client.ask({ op: 'rcpt', to: 'bob@example.org' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e3);
    if (!r.ok) t.fail('refused');
  }
  times.sort((a, b) => a - b);
  const p50 = times[249] ?? 0;
  const p99 = times[494] ?? 0;
  t.comment(`decision channel round trip: p50 ${p50.toFixed(0)} µs, p99 ${p99.toFixed(0)} µs over 500 sequential RCPT decisions`);
  t.ok(p50 < 5000, `p50 ${p50.toFixed(0)} µs is far below one SMTP round trip`);
});
