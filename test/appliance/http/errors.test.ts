import t from 'tap';
import { ERROR_CODES, NexusError } from '@nexus-cos/sdk';
import { HTTP_STATUS, errorReply } from '../../../appliance/src/http/errors.js';
import { createImvu, key, register, send, stack } from './harness.js';

t.test('every documented code has exactly one HTTP status', async (t) => {
  t.same(Object.keys(HTTP_STATUS).sort(), [...ERROR_CODES].sort(), 'the table covers the codes, and nothing else');
  for (const code of ERROR_CODES) {
    const s = HTTP_STATUS[code];
    t.ok(Number.isInteger(s) && s >= 400 && s <= 599, `${code} → ${s}`);
    t.equal(errorReply(new NexusError(code, 'x')).status, s, `${code}: errorReply uses the table`);
  }
  const expect: Record<string, number> = {
    INPUT_INVALID: 400, DID_INVALID: 400, SIGNATURE_INVALID: 401, SIGNATURE_UNTRUSTED: 401, ENVELOPE_MALFORMED: 401,
    GATE_IDENTITY_PROOF: 403, GATE_CAPACITY_HONESTY: 403, POLICY_DENIED: 403, NOT_FOUND: 404, DUPLICATE_EVENT: 409,
    CONFLICT: 409, BODY_TOO_LARGE: 413, MEDIA_TYPE_UNSUPPORTED: 415, INTERNAL: 500,
    LEDGER_UNAVAILABLE: 503, GATE_LEDGER_INTEGRITY: 503, GATE_AUDIT: 503,
  };
  for (const [code, status] of Object.entries(expect)) t.equal(HTTP_STATUS[code as keyof typeof HTTP_STATUS], status, `${code} is ${status}`);
  for (const code of ERROR_CODES.filter((c) => c.startsWith('GATE_') && c !== 'GATE_LEDGER_INTEGRITY' && c !== 'GATE_AUDIT')) {
    t.equal(HTTP_STATUS[code], 403, `${code}: a refusal, 403`);
  }
});

t.test('framework refusals get documented codes; anything else is a bare INTERNAL', async (t) => {
  t.same(errorReply({ statusCode: 413, message: 'Request body is too large' }).body.code, 'BODY_TOO_LARGE');
  t.same(errorReply({ statusCode: 415 }).body.code, 'MEDIA_TYPE_UNSUPPORTED');
  t.same(errorReply({ statusCode: 400, validation: [{ instancePath: '/jurisdiction', message: 'must match pattern' }], validationContext: 'body' }).body, {
    code: 'INPUT_INVALID', message: '/body/jurisdiction must match pattern', field: '/body/jurisdiction',
  });
  t.same(errorReply(new TypeError('Cannot read properties of undefined (reading "x") at /srv/app.js:12')), { status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
  t.same(errorReply('thrown string'), { status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
});

t.test('an unexpected exception in a route is a 500 that leaks nothing', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const alice = key(1);
  await register(s.app, alice);
  await createImvu(s.app, alice);
  s.services.imvus.list = () => {
    throw new Error('SQLITE_CORRUPT at /var/lib/nexus-cos/registry.sqlite seed=deadbeef');
  };
  const r = await send(s.app, alice, 'GET', '/v1/imvus');
  t.equal(r.statusCode, 500);
  t.same(r.json(), { code: 'INTERNAL', message: 'internal error' }, 'code and a fixed message only');
  t.notMatch(r.body, /SQLITE|registry|seed|stack|at /, 'no internals');
});

t.test('router-level refusals carry a documented code too', async (t) => {
  const { stack } = await import('./harness.js');
  const { ERROR_CODES } = await import('@nexus-cos/sdk');
  const s = await stack();
  for (const url of ['/v1/imvus/%E0%A4%A', `/v1/identities/${'a'.repeat(200)}`]) {
    const r = await s.app.inject({ method: 'GET', url });
    t.ok(r.statusCode >= 400 && r.statusCode < 500, `${url.slice(0, 40)}: 4xx (${r.statusCode})`);
    t.ok((ERROR_CODES as readonly string[]).includes((r.json() as { code: string }).code), `${url.slice(0, 40)}: documented code ${r.body}`);
  }
  await s.close();
});
