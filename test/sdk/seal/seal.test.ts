import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import t from 'tap';
import { edPublicToX25519, edSeedToX25519 } from '../../../sdk/src/crypto/x25519.js';
import { noblePublicKey, randomSeed } from '../../../sdk/src/crypto/ed25519.js';
import { utf8 } from '../../../sdk/src/encoding/utf8.js';
import { openSealed, sealToOwner, SEALED_MAGIC } from '../../../sdk/src/seal/index.js';
import { throwsCode } from '../../helpers/codes.js';

const PATH = 'secrets/mail/example.org/dkim.pem.sealed';
const seed = randomSeed();
const owner = noblePublicKey(seed);
const secret = utf8('-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI...\n-----END PRIVATE KEY-----\n');

// RFC 8410 DER wrappers, so OpenSSL computes X25519 independently of noble.
const X_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const xPriv = (k: Uint8Array): KeyObject => createPrivateKey({ key: Buffer.concat([X_PKCS8, k]), format: 'der', type: 'pkcs8' });
const xPub = (k: Uint8Array): KeyObject => createPublicKey({ key: Buffer.concat([X_SPKI, k]), format: 'der', type: 'spki' });
const rawPub = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'spki' }).subarray(X_SPKI.length);

t.test('round trip: the owner opens what was sealed to them at that path', async (t) => {
  const sealed = sealToOwner(secret, PATH, owner);
  t.same(sealed.subarray(0, SEALED_MAGIC.length), SEALED_MAGIC, 'starts with the magic line');
  t.equal(sealed.length, SEALED_MAGIC.length + 32 + secret.length + 16, 'magic || E || C || tag');
  t.same(openSealed(sealed, PATH, seed), secret);
  t.same(openSealed(sealToOwner(new Uint8Array(0), PATH, owner), PATH, seed), new Uint8Array(0), 'empty plaintext');
  t.not(Buffer.from(sealToOwner(secret, PATH, owner)).toString('hex'), Buffer.from(sealed).toString('hex'), 'a fresh ephemeral key each time');
});

t.test('every tampering fails with a code naming the path', async (t) => {
  const sealed = sealToOwner(secret, PATH, owner);
  throwsCode(t, () => openSealed(sealed, 'secrets/mail/example.org/other.sealed', seed), 'SEALED_OPEN_FAILED', 'wrong path');
  throwsCode(t, () => openSealed(sealed, PATH, randomSeed()), 'SEALED_OPEN_FAILED', 'wrong key');
  for (const at of [SEALED_MAGIC.length + 3, SEALED_MAGIC.length + 40, sealed.length - 1]) {
    const flipped = Uint8Array.from(sealed);
    flipped[at] = (flipped[at] as number) ^ 1;
    throwsCode(t, () => openSealed(flipped, PATH, seed), 'SEALED_OPEN_FAILED', `flipped byte at ${at}`);
  }
  throwsCode(t, () => openSealed(sealed.subarray(0, SEALED_MAGIC.length + 40), PATH, seed), 'SEALED_INVALID', 'truncated');
  throwsCode(t, () => openSealed(sealed.subarray(0, sealed.length - 1), PATH, seed), 'SEALED_OPEN_FAILED', 'one byte short');
  const magic = Uint8Array.from(sealed);
  magic[0] = 0x4e;
  throwsCode(t, () => openSealed(magic, PATH, seed), 'SEALED_INVALID', 'bad magic');
  const zeroE = Uint8Array.from(sealed);
  zeroE.fill(0, SEALED_MAGIC.length, SEALED_MAGIC.length + 32);
  throwsCode(t, () => openSealed(zeroE, PATH, seed), 'SEALED_INVALID', 'all-zero Z refused');
  try {
    openSealed(sealed, 'secrets/x.sealed', seed);
  } catch (e) {
    t.equal((e as { field?: string }).field, 'secrets/x.sealed', 'field names the member path');
  }
});

t.test('bad inputs are refused before any crypto', async (t) => {
  throwsCode(t, () => sealToOwner(secret, '../etc/passwd', owner), 'INPUT_INVALID', 'traversal path');
  throwsCode(t, () => sealToOwner(secret, PATH, new Uint8Array(31)), 'KEY_INVALID', 'short owner key');
  // The identity point (y = 1) is small order: its X25519 form would give Z = 0.
  const identity = new Uint8Array(32);
  identity[0] = 1;
  throwsCode(t, () => sealToOwner(secret, PATH, identity), 'KEY_SMALL_ORDER', 'small-order owner key');
  throwsCode(t, () => openSealed(sealToOwner(secret, PATH, owner), PATH, new Uint8Array(16)), 'KEY_INVALID', 'short seed');
});

t.test('the Edwards→Montgomery conversion agrees with an independent computation', async (t) => {
  const p = 2n ** 255n - 19n;
  const pow = (b: bigint, e: bigint): bigint => {
    let r = 1n;
    for (b %= p; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p;
    return r;
  };
  for (let i = 0; i < 4; i++) {
    const s = randomSeed();
    const pub = noblePublicKey(s);
    // u = (1 + y) / (1 - y) mod p (RFC 7748 §4.1), from the y coordinate of the Edwards encoding.
    const le = Uint8Array.from(pub);
    le[31] = (le[31] as number) & 0x7f;
    const y = BigInt('0x' + Buffer.from(le).reverse().toString('hex'));
    const u = ((1n + y) * pow((1n - y + p) % p, p - 2n)) % p;
    const uBytes = Buffer.from(u.toString(16).padStart(64, '0'), 'hex').reverse();
    t.same(Buffer.from(edPublicToX25519(pub)), uBytes, 'public map matches the formula');
    // OpenSSL derives the same X25519 public key from the converted secret.
    t.same(rawPub(createPublicKey(xPriv(edSeedToX25519(s)))), uBytes, 'converted secret and public key are a pair');
  }
  // Z agrees both ways: owner-secret × ephemeral-public and ephemeral-secret × owner-public.
  const eph = generateKeyPairSync('x25519');
  const z1 = diffieHellman({ privateKey: xPriv(edSeedToX25519(seed)), publicKey: eph.publicKey });
  const z2 = diffieHellman({ privateKey: eph.privateKey, publicKey: xPub(edPublicToX25519(owner)) });
  t.same(z1, z2, 'node:crypto X25519 agrees on Z both ways');
  t.notOk(z1.every((b) => b === 0), 'Z is not zero');
});
