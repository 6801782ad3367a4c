import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { SMALL_ORDER_ENCODINGS } from '../../sdk/src/crypto/small-order.js';
import { fromHex, toHex } from '../../sdk/src/encoding/hex.js';
import { concatBytes, utf8 } from '../../sdk/src/encoding/utf8.js';

// Tooling, not SDK: crafting adversarial signatures needs raw curve arithmetic, which
// the SDK deliberately does not expose.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;
const leToBig = (b: Uint8Array): bigint => BigInt(`0x${toHex(Uint8Array.from(b).reverse()) || '0'}`);
const bigToLe = (n: bigint): Uint8Array => fromHex(n.toString(16).padStart(64, '0')).reverse();

/** One Ed25519 verification case; `expect` is "valid" or the error code a verifier must report. */
export interface Ed25519Case {
  name: string;
  source: string;
  seed?: string;
  publicKey: string;
  message: string;
  signature: string;
  expect: string;
}

// RFC 8032 §7.1 TEST 1, 2, 3 (Ed25519): seed, public key, message, signature.
const RFC8032 = [
  ['TEST 1', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '', 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
  ['TEST 2', '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72', '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
  ['TEST 3', 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'af82', '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'],
] as const;

/** A signature whose R carries an order-8 component: valid under the cofactored equation only. */
function mixedOrderSignature(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  const { scalar, prefix, pointBytes } = ed25519.utils.getExtendedPublicKey(seed);
  const r = leToBig(sha512(concatBytes(prefix, msg))) % L;
  const torsion = ed25519.Point.fromBytes(SMALL_ORDER_ENCODINGS[3] as Uint8Array);
  const R = ed25519.Point.BASE.multiply(r).add(torsion).toBytes();
  const k = leToBig(sha512(concatBytes(R, pointBytes, msg))) % L;
  return concatBytes(R, bigToLe((r + k * scalar) % L));
}

/** Builds spec/vectors/ed25519.json. */
export function buildEd25519Vectors(): { description: string; smallOrderEncodings: string[]; cases: Ed25519Case[] } {
  const cases: Ed25519Case[] = RFC8032.map(([name, seed, publicKey, message, signature]) => ({
    name: `RFC 8032 ${name}`, source: 'RFC 8032 §7.1', seed, publicKey, message, signature, expect: 'valid',
  }));
  const [, seedHex, pubHex] = RFC8032[0];
  const seed = fromHex(seedHex);
  const msg = utf8('nexus-cos strict verification');
  const good = ed25519.sign(msg, seed);
  const derived = (name: string, over: Partial<Ed25519Case>, expect: string): Ed25519Case => ({
    name, source: 'derived from RFC 8032 TEST 1 key', publicKey: pubHex, message: toHex(msg), signature: toHex(good), expect, ...over,
  });
  const flip = (b: Uint8Array, i: number): Uint8Array => { const c = Uint8Array.from(b); c[i] = (c[i] as number) ^ 1; return c; };
  const sBig = leToBig(good.subarray(32));
  const other = ed25519.getPublicKey(fromHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'));
  const torsionA = ed25519.Point.fromBytes(fromHex(pubHex)).add(ed25519.Point.fromBytes(SMALL_ORDER_ENCODINGS[3] as Uint8Array)).toBytes();
  cases.push(
    derived('valid signature over a text message', {}, 'valid'),
    derived('flipped bit in R', { signature: toHex(flip(good, 0)) }, 'SIGNATURE_INVALID'),
    derived('flipped bit in S', { signature: toHex(flip(good, 40)) }, 'SIGNATURE_INVALID'),
    derived('flipped bit in message', { message: toHex(flip(msg, 3)) }, 'SIGNATURE_INVALID'),
    derived('wrong public key', { publicKey: toHex(other) }, 'SIGNATURE_INVALID'),
    derived('non-canonical S (S + L), accepted by lax verifiers', { signature: toHex(concatBytes(good.subarray(0, 32), bigToLe(sBig + L))) }, 'SIGNATURE_INVALID'),
    derived('small-order R (identity) with S = 0', { signature: toHex(concatBytes(SMALL_ORDER_ENCODINGS[0] as Uint8Array, new Uint8Array(32))) }, 'SIGNATURE_INVALID'),
    derived('non-canonical R encoding (y = p + 1)', { signature: toHex(concatBytes(bigToLe(P + 1n), good.subarray(32))) }, 'SIGNATURE_INVALID'),
    derived('truncated signature (63 bytes)', { signature: toHex(good.subarray(0, 63)) }, 'SIGNATURE_MALFORMED'),
    derived('small-order public key (order 8)', { publicKey: toHex(SMALL_ORDER_ENCODINGS[3] as Uint8Array) }, 'KEY_SMALL_ORDER'),
    derived('identity public key with identity R and S = 0 (forges any message under lax rules)', {
      publicKey: toHex(SMALL_ORDER_ENCODINGS[0] as Uint8Array), signature: toHex(concatBytes(SMALL_ORDER_ENCODINGS[0] as Uint8Array, new Uint8Array(32))),
    }, 'KEY_SMALL_ORDER'),
    derived('non-canonical public key encoding (y = p + 1)', { publicKey: toHex(bigToLe(P + 1n)) }, 'KEY_INVALID'),
    derived('mixed-order public key (A + T8)', { publicKey: toHex(torsionA) }, 'KEY_INVALID'),
    derived('R with an order-8 component: cofactored equation holds, cofactorless does not', { signature: toHex(mixedOrderSignature(seed, msg)) }, 'valid'),
  );
  return {
    description: 'Strict Ed25519 (spec/signing.md). Hex throughout. expect is "valid" or the error code. Both back ends must agree on every case.',
    smallOrderEncodings: SMALL_ORDER_ENCODINGS.map((e) => toHex(e)),
    cases,
  };
}
