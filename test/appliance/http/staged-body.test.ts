// A bundle upload is streamed into a staging file, never held in memory: the signature is
// checked against the digest taken on the way, the route reads the file, and the file is
// gone once the response is sent, whatever the answer was.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { request } from 'undici';
import { sha256, toHex } from '@nexus-cos/sdk';
import { acceptStagedBytes, isStagedBody, rawBody } from '../../../appliance/src/http/body.js';
import { errorReply } from '../../../appliance/src/http/errors.js';
import { key, register, send, stack } from './harness.js';

const LIMIT = 1024;

async function app(dir: string) {
  const a = Fastify();
  const seen: { file: string; bytes: string; digest: string; size: number }[] = [];
  a.setErrorHandler((e, _req, reply) => {
    const r = errorReply(e);
    return reply.code(r.status).send(r.body);
  });
  acceptStagedBytes(a, ['application/x-tar'], () => dir, LIMIT);
  a.post('/up', async (req) => {
    if (!isStagedBody(req.body)) throw new Error('not staged');
    const d = rawBody(req);
    seen.push({ file: req.body.file, size: req.body.size, bytes: readFileSync(req.body.file, 'utf8'), digest: d instanceof Uint8Array ? '' : toHex(d.sha256) });
    return { ok: true };
  });
  await a.ready();
  return { a, seen };
}

t.test('streamed to a 0600 file, hashed on the way, removed after the response', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-staged-'));
  const { a, seen } = await app(dir);
  t.teardown(() => a.close());
  const body = 'x'.repeat(LIMIT);
  const r = await a.inject({ method: 'POST', url: '/up', headers: { 'content-type': 'application/x-tar' }, payload: body });
  t.equal(r.statusCode, 200, r.body);
  t.equal(seen.length, 1);
  t.match(seen[0], { size: LIMIT, bytes: body, digest: toHex(sha256(new TextEncoder().encode(body))) }, 'the route read the exact bytes, the signature check gets their digest');
  t.ok(seen[0]?.file.startsWith(dir), 'in the staging directory');
  t.same(readdirSync(dir), [], 'and the file is gone once the response is sent');
});

t.test('one byte over the limit: 413 BODY_TOO_LARGE, from the header or the stream, and nothing left', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-staged-'));
  const { a, seen } = await app(dir);
  t.teardown(() => a.close());
  const declared = await a.inject({ method: 'POST', url: '/up', headers: { 'content-type': 'application/x-tar' }, payload: 'x'.repeat(LIMIT + 1) });
  t.equal(declared.statusCode, 413);
  t.match(declared.json(), { code: 'BODY_TOO_LARGE', field: '/body' });
  // No content-length (chunked, over a real socket): the count while streaming refuses it.
  const url = await a.listen({ port: 0, host: '127.0.0.1' });
  const chunked = await request(`${url}/up`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: Readable.from([Buffer.alloc(LIMIT), Buffer.alloc(1)]) });
  t.equal(chunked.statusCode, 413);
  t.match(await chunked.body.json(), { code: 'BODY_TOO_LARGE' });
  t.equal(seen.length, 0, 'the route never ran');
  t.same(readdirSync(dir), [], 'no partial file is left');
});

t.test('the import route: a body the signature does not cover is refused (401) and its staged file removed', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const owner = key(91);
  await register(s.app, owner);
  const bundle = new TextEncoder().encode('not really a bundle');
  const r = await send(s.app, owner, 'POST', `/v1/imports?manifest=${'0'.repeat(64)}`, undefined, { raw: bundle, contentType: 'application/x-tar', signBody: new TextEncoder().encode('another body') });
  t.equal(r.statusCode, 401, r.body);
  t.match(r.json(), { code: 'SIGNATURE_INVALID', field: '/body' });
  const staged = s.services.imports.staging;
  t.same(readdirSync(staged).filter((f) => f.startsWith('body-')), [], 'no staged body is left');
  const bad = await send(s.app, owner, 'POST', `/v1/imports?manifest=${'0'.repeat(64)}`, undefined, { raw: bundle, contentType: 'application/x-tar' });
  t.equal(bad.statusCode, 422, 'a signed body that is no tar archive: refused by the verifier');
  t.match(bad.json(), { code: 'BUNDLE_ARCHIVE_INVALID' });
  t.same(readdirSync(staged).filter((f) => f.startsWith('body-') || f.startsWith('import-')), [], 'and nothing of it is left either');
});
