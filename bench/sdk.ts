import { sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { LocalSigner } from '../sdk/src/sign/local-signer.js';
import { verifySignature } from '../sdk/src/verify/signature.js';
import { nodePrivateKey } from '../sdk/src/crypto/node-ed25519.js';
import type { Bench } from './harness.js';

const seed = new Uint8Array(32).fill(7);
const msg = new Uint8Array(256).fill(42);
const nodeSigner = LocalSigner.fromSeed(seed, 'node');
const nobleSigner = LocalSigner.fromSeed(seed, 'noble');
const key = nodeSigner.publicKey;
const sig = nodeSigner.signSync(msg);
const rawPriv = nodePrivateKey(seed);
const rawPub = key.nodeKey;

const loop = (f: () => unknown) => (n: number): number => {
  for (let i = 0; i < n; i++) f();
  return n;
};

/** Signing and strict verification on both back ends, against the raw library calls. */
export const sdkBenches: Bench[] = [
  { name: 'sdk.sign.node', unit: 'signs/s', batch: 4000, subject: loop(() => nodeSigner.signSync(msg)), baseline: loop(() => nodeSign(null, msg, rawPriv)) },
  { name: 'sdk.sign.noble', unit: 'signs/s', batch: 400, subject: loop(() => nobleSigner.signSync(msg)), baseline: loop(() => ed25519.sign(msg, seed)) },
  { name: 'sdk.verify.node', unit: 'verifies/s', batch: 2000, subject: loop(() => verifySignature(key, msg, sig, 'node')), baseline: loop(() => nodeVerify(null, msg, rawPub, sig)) },
  { name: 'sdk.verify.noble', unit: 'verifies/s', batch: 200, subject: loop(() => verifySignature(key, msg, sig, 'noble')), baseline: loop(() => ed25519.verify(sig, msg, key.bytes, { zip215: false })) },
];
