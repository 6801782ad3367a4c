import t from 'tap';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createImvu, key, register, send, stack } from './harness.js';

t.test('logs redact credentials and secrets and never carry request bodies', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const s = await stack({ logger: pino({ level: 'trace' }, sink) });
  t.teardown(() => s.close());
  const alice = key(1);
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  const r = await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'zz.body-marker' });
  t.equal(r.statusCode, 200);
  await send(s.app, alice, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'zz.body-marker', extra: 'body-marker-2' });
  s.app.log.info({ seed: 'SEED-MARK', nested: { key: 'KEY-MARK', deeper: { secret: 'SECRET-MARK' } }, headers: { authorization: 'AUTH-MARK' } }, 'configured');
  await new Promise((done) => setImmediate(done));
  const all = lines.join('\n');
  t.ok(lines.length > 4, `${lines.length} log lines`);
  t.match(all, /"url":"\/v1\/imvus\/IMVU-001\/consents"/, 'requests are logged by url');
  t.notMatch(all, /Nexus ey/, 'no Authorization token');
  t.notMatch(all, /body-marker/, 'no request body');
  for (const mark of ['SEED-MARK', 'KEY-MARK', 'SECRET-MARK', 'AUTH-MARK']) t.notMatch(all, new RegExp(mark), `${mark} redacted`);
  t.match(all, /\[redacted\]/);
});
