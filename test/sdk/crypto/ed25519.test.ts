import t from 'tap';
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { SMALL_ORDER_ENCODINGS } from '../../../sdk/src/crypto/small-order.js';
import { fromHex, toHex } from '../../../sdk/src/encoding/hex.js';
import { isNexusError } from '../../../sdk/src/errors/index.js';
import { PublicKey } from '../../../sdk/src/identity/public-key.js';
import { LocalSigner } from '../../../sdk/src/sign/local-signer.js';
import { assertSignature, verifySignature } from '../../../sdk/src/verify/signature.js';
import { buildEd25519Vectors } from '../../../scripts/vectors/ed25519.js';

/** The verdict of the SDK on one case: "valid" or the error code. */
function verdict(pub: string, msg: string, sig: string, backend: 'node' | 'noble'): string {
  try {
    assertSignature(PublicKey.fromBytes(fromHex(pub)), fromHex(msg), fromHex(sig), backend);
    return 'valid';
  } catch (e) {
    if (isNexusError(e)) return e.code;
    throw e;
  }
}

t.test('every strict Ed25519 vector gives the expected verdict on both back ends', async (t) => {
  for (const c of buildEd25519Vectors().cases) {
    t.equal(verdict(c.publicKey, c.message, c.signature, 'noble'), c.expect, `noble: ${c.name}`);
    t.equal(verdict(c.publicKey, c.message, c.signature, 'node'), c.expect, `node: ${c.name}`);
  }
});

t.test('RFC 8032 signatures are reproduced byte for byte by both signers', async (t) => {
  for (const c of buildEd25519Vectors().cases.filter((c) => c.source === 'RFC 8032 §7.1')) {
    const seed = fromHex(c.seed as string);
    for (const backend of ['node', 'noble'] as const) {
      const s = LocalSigner.fromSeed(seed, backend);
      t.equal(toHex(s.publicKey.bytes), c.publicKey, `${backend} public key: ${c.name}`);
      t.equal(toHex(s.signSync(fromHex(c.message))), c.signature, `${backend} signature: ${c.name}`);
    }
  }
});

t.test('the small-order list is the whole torsion subgroup', async (t) => {
  const seen = new Set<string>();
  for (const enc of SMALL_ORDER_ENCODINGS) {
    const p = ed25519.Point.fromBytes(enc, false);
    t.ok(p.isSmallOrder(), `${toHex(enc)} is small order`);
    seen.add(toHex(p.toBytes()));
  }
  t.equal(seen.size, 8, 'eight distinct points: the torsion subgroup has exactly eight');
});

t.test('property: node and noble signers are byte-identical and verify on both paths', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, msg) => {
      const a = LocalSigner.fromSeed(seed, 'node');
      const b = LocalSigner.fromSeed(seed, 'noble');
      const sa = a.signSync(msg);
      const sb = b.signSync(msg);
      return toHex(sa) === toHex(sb) && verifySignature(a.publicKey, msg, sa, 'node') && verifySignature(a.publicKey, msg, sa, 'noble');
    }),
    { numRuns: 300 },
  );
  t.pass('300 random keys and messages');
});

t.test('property: any single-byte change to message or signature fails on both paths, identically', async (t) => {
  const signer = LocalSigner.generate();
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (msg, pos, delta, inSig) => {
      const sig = signer.signSync(msg);
      const m = Uint8Array.from(msg);
      const s = Uint8Array.from(sig);
      const target = inSig ? s : m;
      const i = pos % target.length;
      target[i] = ((target[i] as number) + delta) & 0xff;
      const node = verifySignature(signer.publicKey, m, s, 'node');
      const noble = verifySignature(signer.publicKey, m, s, 'noble');
      return node === false && noble === false;
    }),
    { numRuns: 1000 },
  );
  t.pass('1000 random single-byte changes');
});

t.test('a signer never shows its seed', async (t) => {
  const s = LocalSigner.generate();
  const seedHex = toHex(s.exportSeed());
  const { inspect } = await import('node:util');
  t.notMatch(JSON.stringify(s), seedHex);
  t.notMatch(inspect(s, { showHidden: true, depth: 5 }), seedHex);
  t.notMatch(String(s), seedHex);
});

t.test('the OpenSSL fallback is needed: raw node:crypto alone disagrees with noble on a mixed-order R', async (t) => {
  const { verify } = await import('node:crypto');
  const c = buildEd25519Vectors().cases.find((c) => c.name.startsWith('R with an order-8 component'));
  t.ok(c, 'the vector exists');
  if (c === undefined) return;
  const key = PublicKey.fromBytes(fromHex(c.publicKey));
  t.equal(verify(null, fromHex(c.message), key.nodeKey, fromHex(c.signature)), false, 'OpenSSL (cofactorless) rejects');
  t.equal(ed25519.verify(fromHex(c.signature), fromHex(c.message), key.bytes, { zip215: false }), true, 'noble (cofactored) accepts');
  t.equal(verifySignature(key, fromHex(c.message), fromHex(c.signature), 'node'), true, 'the SDK node path returns the noble verdict');
});
