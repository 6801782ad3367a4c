import { sha256 } from '@noble/hashes/sha2.js';
import { inclusionProof, leafHash, rootFromLeafHashes, verifyInclusion } from '../sdk/src/merkle/index.js';
import type { Bench } from './harness.js';

const N = 1_000_000;
// Leaf data: 64 bytes each, distinct. Built once, outside the timed loops.
const leaves: Uint8Array[] = Array.from({ length: N }, (_, i) => {
  const b = new Uint8Array(64);
  new DataView(b.buffer).setUint32(0, i);
  return b;
});

const PROOF_SIZE = N;
const proofLeafHashes = leaves.map((l) => leafHash(l));
const proofIndex = 123_457;
const proof = inclusionProof(proofIndex, proofLeafHashes);
const root = rootFromLeafHashes(proofLeafHashes);
const leaf = proofLeafHashes[proofIndex] as Uint8Array;
const nodeInput = new Uint8Array(65);

/** Merkle tree building and proof verification, against raw SHA-256 of the same data. */
export const merkleBenches: Bench[] = [
  {
    // Leaf hashing plus the tree: 2N−1 hashes, against N plain hashes of the same leaves.
    name: 'merkle.root.1m',
    unit: 'leaves/s',
    batch: N,
    rounds: 2,
    subject: (n) => {
      rootFromLeafHashes(leaves.slice(0, n).map((l) => leafHash(l)));
      return n;
    },
    baseline: (n) => {
      for (let i = 0; i < n; i++) sha256(leaves[i] as Uint8Array);
      return n;
    },
  },
  {
    // One proof costs log2(N) node hashes; the baseline does that many raw 65-byte hashes.
    name: 'merkle.proof.verify',
    unit: 'proofs/s',
    batch: 20_000,
    subject: (n) => {
      for (let i = 0; i < n; i++) verifyInclusion({ index: proofIndex, size: PROOF_SIZE, leafHash: leaf, proof, root });
      return n;
    },
    baseline: (n) => {
      for (let i = 0; i < n; i++) for (let j = 0; j < proof.length; j++) sha256(nodeInput);
      return n;
    },
  },
];
