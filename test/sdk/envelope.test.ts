import t from 'tap';
import fc from 'fast-check';
import { fromBase64, toBase64 } from '../../sdk/src/encoding/base64.js';
import { fromUtf8, utf8 } from '../../sdk/src/encoding/utf8.js';
import { LocalSigner } from '../../sdk/src/sign/local-signer.js';
import { signEnvelopeSync, signJson } from '../../sdk/src/sign/envelope.js';
import { pae } from '../../sdk/src/sign/pae.js';
import { openJsonEnvelope, verifyEnvelope } from '../../sdk/src/verify/envelope.js';
import { TrustedKeys } from '../../sdk/src/verify/trust.js';
import { throwsCode } from '../helpers/codes.js';

const TYPE = 'application/vnd.nexus-cos.test.v1+json';
const alice = LocalSigner.fromSeed(new Uint8Array(32).fill(1));
const bob = LocalSigner.fromSeed(new Uint8Array(32).fill(2), 'noble');
const trusted = new TrustedKeys([alice.publicKey]);

t.test('PAE matches the DSSE v1 definition', async (t) => {
  t.equal(fromUtf8(pae('http://example.com/HelloWorld', utf8('hello world'))), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
});

t.test('sign then verify returns the exact payload bytes and signers', async (t) => {
  const env = await signJson(TYPE, { b: 1, a: 'x' }, [alice, bob]);
  t.equal(fromUtf8(fromBase64(env.payload)), '{"a":"x","b":1}', 'payload is canonical JSON');
  const v = verifyEnvelope(env, { trusted: new TrustedKeys([alice.publicKey, bob.publicKey]), threshold: 2, payloadType: TYPE });
  t.same([...v.signedBy].sort(), [alice.publicKey.id, bob.publicKey.id].sort());
  for (const backend of ['node', 'noble'] as const) t.same(openJsonEnvelope(env, { trusted, backend }).value, { a: 'x', b: 1 });
});

t.test('unknown signers are ignored, but do not count', async (t) => {
  const env = signEnvelopeSync(TYPE, utf8('x'), [bob, alice]);
  t.same(verifyEnvelope(env, { trusted }).signedBy, [alice.publicKey.id]);
  throwsCode(t, () => verifyEnvelope(signEnvelopeSync(TYPE, utf8('x'), [bob]), { trusted }), 'SIGNATURE_UNTRUSTED');
  throwsCode(t, () => verifyEnvelope(env, { trusted, threshold: 2 }), 'SIGNATURE_UNTRUSTED');
  throwsCode(t, () => verifyEnvelope(env, { trusted: new TrustedKeys() }), 'SIGNATURE_UNTRUSTED');
});

t.test('tampering is refused with a coded reason', async (t) => {
  const env = signEnvelopeSync(TYPE, utf8('{"a":1}'), [alice]);
  throwsCode(t, () => verifyEnvelope({ ...env, payload: toBase64(utf8('{"a":2}')) }, { trusted }), 'SIGNATURE_INVALID');
  throwsCode(t, () => verifyEnvelope({ ...env, payloadType: `${TYPE}x` }, { trusted }), 'SIGNATURE_INVALID');
  throwsCode(t, () => verifyEnvelope(env, { trusted, payloadType: 'other' }), 'ENVELOPE_PAYLOAD_TYPE');
  throwsCode(t, () => verifyEnvelope({ ...env, extra: 1 }, { trusted }), 'ENVELOPE_MALFORMED');
  throwsCode(t, () => verifyEnvelope({ ...env, signatures: [] }, { trusted }), 'ENVELOPE_MALFORMED');
  throwsCode(t, () => verifyEnvelope({ ...env, payload: env.payload.replace('fQ==', 'fR==') }, { trusted }), 'ENCODING_INVALID');
  const short = { ...env, signatures: [{ keyid: alice.publicKey.id, sig: toBase64(new Uint8Array(63)) }] };
  throwsCode(t, () => verifyEnvelope(short, { trusted }), 'SIGNATURE_MALFORMED');
  throwsCode(t, () => openJsonEnvelope(signEnvelopeSync(TYPE, utf8('{oops'), [alice]), { trusted }), 'PAYLOAD_INVALID');
});

t.test('property: any single-byte change to payload or signature is refused', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (payload, pos, delta, inSig) => {
      const env = signEnvelopeSync(TYPE, payload, [alice]);
      const target = inSig ? fromBase64((env.signatures[0] as { sig: string }).sig) : Uint8Array.from(payload);
      const i = pos % target.length;
      target[i] = ((target[i] as number) + delta) & 0xff;
      const changed = inSig
        ? { ...env, signatures: [{ keyid: alice.publicKey.id, sig: toBase64(target) }] }
        : { ...env, payload: toBase64(target) };
      try {
        verifyEnvelope(changed, { trusted });
        return false;
      } catch (e) {
        return (e as { code?: string }).code === 'SIGNATURE_INVALID';
      }
    }),
    { numRuns: 500 },
  );
  t.pass('500 random single-byte changes refused with SIGNATURE_INVALID');
});
