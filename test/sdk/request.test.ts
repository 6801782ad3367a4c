import t from 'tap';
import { LocalSigner } from '../../sdk/src/sign/local-signer.js';
import { signRequest } from '../../sdk/src/request/sign-request.js';
import { verifyRequest } from '../../sdk/src/request/verify-request.js';
import { utf8 } from '../../sdk/src/encoding/utf8.js';
import { throwsCode } from '../helpers/codes.js';

const me = LocalSigner.fromSeed(new Uint8Array(32).fill(5));
const body = utf8('{"jurisdiction":"DE"}');

t.test('a signed request verifies against exactly what was sent', async (t) => {
  const authorization = await signRequest(me, { method: 'POST', path: '/v1/imvus', body, now: 1_000 });
  const v = verifyRequest({ method: 'POST', path: '/v1/imvus', body, authorization });
  t.equal(v.actor, me.publicKey.id, 'the actor is the signing key (proof of possession)');
  t.equal(v.expires - v.created, 60_000);
  throwsCode(t, () => verifyRequest({ method: 'PUT', path: '/v1/imvus', body, authorization }), 'SIGNATURE_INVALID', 'another method');
  throwsCode(t, () => verifyRequest({ method: 'POST', path: '/v1/imvus?x=1', body, authorization }), 'SIGNATURE_INVALID', 'another path');
  throwsCode(t, () => verifyRequest({ method: 'POST', path: '/v1/imvus', body: utf8('{"jurisdiction":"US"}'), authorization }), 'SIGNATURE_INVALID', 'another body');
  throwsCode(t, () => verifyRequest({ method: 'POST', path: '/v1/imvus', body, authorization: undefined }), 'SIGNATURE_UNTRUSTED', 'no header');
  throwsCode(t, () => verifyRequest({ method: 'POST', path: '/v1/imvus', body, authorization: 'Bearer x' }), 'SIGNATURE_UNTRUSTED', 'another scheme');
  throwsCode(t, () => verifyRequest({ method: 'POST', path: '/v1/imvus', body, authorization: 'Nexus !!!' }), 'ENVELOPE_MALFORMED', 'garbage token');
  const flipped = authorization.slice(0, 60) + (authorization[60] === 'A' ? 'B' : 'A') + authorization.slice(61);
  t.throws(() => verifyRequest({ method: 'POST', path: '/v1/imvus', body, authorization: flipped }), 'a changed token byte is refused');
  const nonces = new Set<string>();
  for (let i = 0; i < 50; i++) nonces.add(verifyRequest({ method: 'GET', path: '/', body: new Uint8Array(), authorization: await signRequest(me, { method: 'GET', path: '/', body: new Uint8Array() }) }).nonce);
  t.equal(nonces.size, 50, 'nonces are fresh');
});
