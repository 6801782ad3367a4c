import t from 'tap';
import { fromBase64, fromBase64Url, toBase64, toBase64Url } from '../../sdk/src/encoding/base64.js';
import { fromBase58 } from '../../sdk/src/encoding/base58.js';
import { fromHex } from '../../sdk/src/encoding/hex.js';
import { fromDidKey, toDidKey } from '../../sdk/src/identity/did-key.js';
import { PublicKey } from '../../sdk/src/identity/public-key.js';
import { throwsCode } from '../helpers/codes.js';

t.test('did:key matches the did-method-key test vector', async (t) => {
  // W3C CCG did-method-key, Ed25519 test vector (publicKeyBase58 B12NYF8RrR3h41TDCTJojY59usg3mbtbjnFs7Eud1Y6u).
  const raw = fromBase58('B12NYF8RrR3h41TDCTJojY59usg3mbtbjnFs7Eud1Y6u');
  t.equal(toDidKey(raw), 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH');
  t.same(fromDidKey('did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH'), raw);
  t.equal(PublicKey.fromBytes(raw).id, 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH');
});

t.test('bad did:keys are refused with DID_INVALID', async (t) => {
  throwsCode(t, () => fromDidKey('did:web:example.com'), 'DID_INVALID');
  throwsCode(t, () => fromDidKey('did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvkt0'), 'DID_INVALID');
  throwsCode(t, () => fromDidKey(`did:key:z${'1'.repeat(30)}`), 'DID_INVALID');
  // A secp256k1 did:key (multicodec 0xe7) is well-formed but not an Ed25519 key.
  throwsCode(t, () => fromDidKey('did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'), 'DID_INVALID');
});

t.test('public keys are checked once, strictly', async (t) => {
  throwsCode(t, () => PublicKey.fromBytes(new Uint8Array(31)), 'KEY_INVALID');
  throwsCode(t, () => PublicKey.fromBytes(fromHex('0100000000000000000000000000000000000000000000000000000000000000')), 'KEY_SMALL_ORDER');
  const k = PublicKey.fromBase64('11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=');
  t.equal(k.toBase64(), '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=');
  t.ok(k.equals(PublicKey.fromDid(k.id)));
});

t.test('base64 decoders accept exactly one text form', async (t) => {
  const b = Uint8Array.from([0xff, 0xee]);
  t.equal(toBase64(b), '/+4=');
  t.same(fromBase64('/+4='), b);
  t.equal(toBase64Url(b), '_-4');
  t.same(fromBase64Url('_-4'), b);
  for (const bad of ['/+4', '/+5=', ' /+4=', '/+4=\n', '/+4==', '_-4=']) throwsCode(t, () => fromBase64(bad), 'ENCODING_INVALID', `base64 ${JSON.stringify(bad)}`);
  for (const bad of ['_-5', '/+4', '_-4=']) throwsCode(t, () => fromBase64Url(bad), 'ENCODING_INVALID', `base64url ${JSON.stringify(bad)}`);
  throwsCode(t, () => fromHex('AB'), 'ENCODING_INVALID');
  throwsCode(t, () => fromHex('abc'), 'ENCODING_INVALID');
});

t.test('a did:key is strictly checked once, then remembered; refusals are never remembered', async (t) => {
  const did = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH';
  t.equal(PublicKey.fromDid(did), PublicKey.fromDid(did), 'the same checked key object');
  const smallOrder = toDidKey(fromHex('0100000000000000000000000000000000000000000000000000000000000000'));
  throwsCode(t, () => PublicKey.fromDid(smallOrder), 'KEY_SMALL_ORDER');
  throwsCode(t, () => PublicKey.fromDid(smallOrder), 'KEY_SMALL_ORDER', 'still refused the second time');
});
