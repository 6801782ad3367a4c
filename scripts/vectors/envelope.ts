import { canonicalBytes, canonicalize } from '../../sdk/src/encoding/canonical-json.js';
import { fromBase64, toBase64 } from '../../sdk/src/encoding/base64.js';
import { fromHex, toHex } from '../../sdk/src/encoding/hex.js';
import { utf8 } from '../../sdk/src/encoding/utf8.js';
import { LocalSigner } from '../../sdk/src/sign/local-signer.js';
import { signEnvelopeSync } from '../../sdk/src/sign/envelope.js';
import { pae } from '../../sdk/src/sign/pae.js';
import type { Envelope } from '../../sdk/src/schemas/envelope.js';

/** The fixed vector keys: RFC 8032 §7.1 TEST 1 and TEST 2 seeds, so anyone can re-derive them. */
export const VECTOR_SEEDS = {
  platform: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  stranger: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
} as const;

export const VECTOR_PAYLOAD_TYPE = 'application/vnd.nexus-cos.ledger-entry.v1+json';

/** The sample payload signed in the envelope vectors. */
export const vectorPayload = (actor: string) => ({
  v: 1,
  kind: 'usage',
  imvu: 'IMVU-042',
  seq: '0',
  prev: '0'.repeat(64),
  actor,
  time: '2026-11-26T07:00:00Z',
  id: 'evt-0001',
  source: 'urn:nexus-cos:meter:dns',
  type: 'dev.nexus-cos.usage.dns.query',
  subject: 'example.org',
  meter: 'dns.queries',
  quantity: '12',
  unit: 'query',
  note: 'Grüße, 🌍',
});

const flipByte = (b64: string, i: number): string => {
  const b = fromBase64(b64);
  b[i] = (b[i] as number) ^ 0x01;
  return toBase64(b);
};

/** Builds spec/vectors/envelope.json and the valid envelope artifact. */
export function buildEnvelopeVectors(): { vectors: object; artifact: Envelope } {
  const platform = LocalSigner.fromSeed(fromHex(VECTOR_SEEDS.platform));
  const stranger = LocalSigner.fromSeed(fromHex(VECTOR_SEEDS.stranger));
  const value = vectorPayload(platform.publicKey.id);
  const payload = canonicalBytes(value);
  const env = signEnvelopeSync(VECTOR_PAYLOAD_TYPE, payload, [platform]);
  const sig0 = (env.signatures[0] as { sig: string }).sig;
  const bad = (name: string, envelope: unknown, expect: string, extra: object = {}) => ({ name, envelope, expect, ...extra });
  return {
    artifact: env,
    vectors: {
      description: 'DSSE v1 envelopes (spec/signing.md §3). trusted lists the did:keys a verifier trusts; expect is "valid" or the error code.',
      keys: {
        platform: { seed: VECTOR_SEEDS.platform, did: platform.publicKey.id, publicKey: toHex(platform.publicKey.bytes) },
        stranger: { seed: VECTOR_SEEDS.stranger, did: stranger.publicKey.id, publicKey: toHex(stranger.publicKey.bytes) },
      },
      trusted: [platform.publicKey.id],
      valid: {
        payloadType: VECTOR_PAYLOAD_TYPE,
        payloadCanonicalJson: canonicalize(value),
        payloadHex: toHex(payload),
        paeHex: toHex(pae(VECTOR_PAYLOAD_TYPE, payload)),
        signatureHex: toHex(fromBase64(sig0)),
        envelope: env,
        expect: 'valid',
      },
      cases: [
        bad('countersigned by an untrusted key: ignored', signEnvelopeSync(VECTOR_PAYLOAD_TYPE, payload, [stranger, platform]), 'valid'),
        bad('flipped bit in payload', { ...env, payload: flipByte(env.payload, 10) }, 'SIGNATURE_INVALID'),
        bad('flipped bit in signature', { ...env, signatures: [{ keyid: platform.publicKey.id, sig: flipByte(sig0, 5) }] }, 'SIGNATURE_INVALID'),
        bad('payload type changed', { ...env, payloadType: 'application/vnd.nexus-cos.statement.v1+json' }, 'SIGNATURE_INVALID'),
        bad('signed only by an untrusted key', signEnvelopeSync(VECTOR_PAYLOAD_TYPE, payload, [stranger]), 'SIGNATURE_UNTRUSTED'),
        bad('signature claims the trusted key but was made by another', { ...env, signatures: [{ keyid: platform.publicKey.id, sig: toBase64(stranger.signSync(pae(VECTOR_PAYLOAD_TYPE, payload))) }] }, 'SIGNATURE_INVALID'),
        bad('truncated signature', { ...env, signatures: [{ keyid: platform.publicKey.id, sig: toBase64(fromBase64(sig0).subarray(0, 63)) }] }, 'SIGNATURE_MALFORMED'),
        bad('non-canonical base64 in payload (whitespace)', { ...env, payload: `${env.payload.slice(0, 8)}\n${env.payload.slice(8)}` }, 'ENVELOPE_MALFORMED'),
        bad('no signatures', { ...env, signatures: [] }, 'ENVELOPE_MALFORMED'),
        bad('unknown member', { ...env, extra: true }, 'ENVELOPE_MALFORMED'),
        bad('valid, but another payload type was expected', env, 'ENVELOPE_PAYLOAD_TYPE', { expectPayloadType: 'application/vnd.nexus-cos.statement.v1+json' }),
      ],
    },
  };
}

/** Builds spec/vectors/canonical-json.json: input JSON text and its canonical text, or the refusal. */
export function buildCanonicalJsonVectors(): object {
  const ok = (input: string) => ({ input, canonical: canonicalize(JSON.parse(input)), canonicalHex: toHex(canonicalBytes(JSON.parse(input))) });
  return {
    description: 'Canonical JSON (spec/signing.md §2). input is JSON text; canonical is the exact output; refused cases give the error code.',
    cases: [
      ok('{"b":2,"a":1}'),
      ok('{ "z": [ 3, 2, {"y": null, "x": true} ], "a": "" }'),
      ok('{"\\u20ac":1,"\\r":2,"\\ufb33":3,"1":4,"\\ud83d\\ude00":5,"\\u0080":6,"\\u00f6":7}'),
      ok('"\\u001f\\u007f\\"\\\\/\\b\\f\\n\\r\\t\\u2028"'),
      ok('-0'),
      ok('9007199254740991'),
      { input: '1.5', expect: 'CANONICAL_JSON_UNSUPPORTED' },
      { input: '9007199254740992', expect: 'CANONICAL_JSON_UNSUPPORTED' },
      { input: '1e3', canonical: '1000', canonicalHex: toHex(utf8('1000')) },
      { input: '"\\ud800"', expect: 'CANONICAL_JSON_UNSUPPORTED' },
    ],
  };
}
