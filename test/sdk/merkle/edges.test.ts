import t from 'tap';
import { toHex } from '../../../sdk/src/encoding/hex.js';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  MerkleAccumulator,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../../sdk/src/merkle/index.js';
import { throwsCode } from '../../helpers/codes.js';
import { leaves } from './oracle.js';

const L = leaves(16);
const root = (n: number): Uint8Array => rootFromLeafHashes(L.slice(0, n));

t.test('inclusion: index out of range, wrong length, bad shapes', async (t) => {
  const proof = inclusionProof(3, L, 7);
  const ok = { index: 3, size: 7, leafHash: L[3] as Uint8Array, proof, root: root(7) };
  verifyInclusion(ok);
  throwsCode(t, () => verifyInclusion({ ...ok, index: 7 }), 'MERKLE_INDEX_OUT_OF_RANGE');
  throwsCode(t, () => verifyInclusion({ ...ok, size: 0, index: 0 }), 'MERKLE_INDEX_OUT_OF_RANGE');
  throwsCode(t, () => inclusionProof(7, L, 7), 'MERKLE_INDEX_OUT_OF_RANGE');
  throwsCode(t, () => inclusionProof(0, L, 17), 'MERKLE_INDEX_OUT_OF_RANGE');
  throwsCode(t, () => verifyInclusion({ ...ok, proof: proof.slice(1) }), 'MERKLE_PROOF_MALFORMED', 'truncated');
  throwsCode(t, () => verifyInclusion({ ...ok, proof: [...proof, root(7)] }), 'MERKLE_PROOF_MALFORMED', 'extended');
  throwsCode(t, () => verifyInclusion({ ...ok, proof: [proof[0] as Uint8Array, new Uint8Array(31), proof[2] as Uint8Array] }), 'MERKLE_PROOF_MALFORMED');
  throwsCode(t, () => verifyInclusion({ ...ok, root: new Uint8Array(33) }), 'MERKLE_PROOF_MALFORMED');
  throwsCode(t, () => verifyInclusion({ ...ok, index: -1 }), 'INPUT_INVALID');
  throwsCode(t, () => verifyInclusion({ ...ok, size: 2 ** 53 }), 'INPUT_INVALID');
  // Wrong position with a proof of the right length for it: a hash mismatch, not a shape error.
  throwsCode(t, () => verifyInclusion({ ...ok, index: 2 }), 'MERKLE_PROOF_INVALID');
  t.equal(toHex(rootFromInclusionProof(3, 7, L[3] as Uint8Array, proof)), toHex(root(7)));
});

t.test('consistency: trivial cases per RFC 9162 and refusals', async (t) => {
  const e = emptyRoot();
  verifyConsistency({ oldSize: 0, newSize: 0, oldRoot: e, newRoot: e, proof: [] });
  verifyConsistency({ oldSize: 0, newSize: 5, oldRoot: e, newRoot: root(5), proof: [] });
  verifyConsistency({ oldSize: 5, newSize: 5, oldRoot: root(5), newRoot: root(5), proof: [] });
  throwsCode(t, () => verifyConsistency({ oldSize: 0, newSize: 5, oldRoot: root(1), newRoot: root(5), proof: [] }), 'CONSISTENCY_PROOF_INVALID');
  throwsCode(t, () => verifyConsistency({ oldSize: 0, newSize: 5, oldRoot: e, newRoot: root(5), proof: [e] }), 'MERKLE_PROOF_MALFORMED');
  throwsCode(t, () => verifyConsistency({ oldSize: 5, newSize: 5, oldRoot: root(5), newRoot: root(4), proof: [] }), 'CONSISTENCY_PROOF_INVALID');
  throwsCode(t, () => verifyConsistency({ oldSize: 5, newSize: 5, oldRoot: root(5), newRoot: root(5), proof: [e] }), 'MERKLE_PROOF_MALFORMED');
  throwsCode(t, () => verifyConsistency({ oldSize: 6, newSize: 5, oldRoot: root(6), newRoot: root(5), proof: [] }), 'CONSISTENCY_PROOF_INVALID');
  throwsCode(t, () => consistencyProof(6, 5, L), 'MERKLE_INDEX_OUT_OF_RANGE');
  throwsCode(t, () => consistencyProof(1, 17, L), 'MERKLE_INDEX_OUT_OF_RANGE');
  const proof = consistencyProof(3, 7, L);
  const ok = { oldSize: 3, newSize: 7, oldRoot: root(3), newRoot: root(7), proof };
  verifyConsistency(ok);
  throwsCode(t, () => verifyConsistency({ ...ok, proof: [] }), 'MERKLE_PROOF_MALFORMED', 'empty');
  throwsCode(t, () => verifyConsistency({ ...ok, proof: proof.slice(0, -1) }), 'MERKLE_PROOF_MALFORMED', 'truncated');
  throwsCode(t, () => verifyConsistency({ ...ok, oldRoot: root(7), newRoot: root(3) }), 'CONSISTENCY_PROOF_INVALID', 'swapped');
  throwsCode(t, () => verifyConsistency({ ...ok, newSize: 8, newRoot: root(8) }), 'CONSISTENCY_PROOF_INVALID', 'other tree');
});

t.test('accumulator: restore refuses a wrong peak count; input is copied', async (t) => {
  const acc = new MerkleAccumulator();
  for (const h of L.slice(0, 11)) acc.append(h);
  t.equal(acc.peaks().length, 3); // 11 = 0b1011
  throwsCode(t, () => MerkleAccumulator.restore(11, acc.peaks().slice(1)), 'INPUT_INVALID');
  throwsCode(t, () => acc.append(new Uint8Array(31)), 'INPUT_INVALID');
  const h = Uint8Array.from(L[11] as Uint8Array);
  acc.append(h);
  const before = toHex(acc.root());
  h[0] = (h[0] as number) ^ 1;
  t.equal(toHex(acc.root()), before, 'mutating the appended array does not change the tree');
});

t.test('a million leaves: streaming root equals the accumulator, in seconds', async (t) => {
  const n = 1_000_000;
  const hs = new Array<Uint8Array>(n);
  const base = L.slice(0, 16);
  for (let i = 0; i < n; i++) hs[i] = base[i % 16] as Uint8Array;
  const start = performance.now();
  const batch = rootFromLeafHashes(hs);
  const ms = performance.now() - start;
  t.ok(ms < 30_000, `1e6-leaf root in ${Math.round(ms)} ms`);
  const acc = MerkleAccumulator.restore(0, []);
  for (let i = 0; i < n; i++) acc.append(hs[i] as Uint8Array);
  t.equal(toHex(acc.root()), toHex(batch));
  const p = inclusionProof(n - 1, hs);
  verifyInclusion({ index: n - 1, size: n, leafHash: hs[n - 1] as Uint8Array, proof: p, root: batch });
});

t.test('leafHash is SHA-256(0x00 || data) at every length, across its scratch buffer\'s size', async (t) => {
  const { createHash } = await import('node:crypto');
  const { leafHash } = await import('../../../sdk/src/merkle/hash.js');
  for (const n of [0, 1, 775, 65534, 65535, 65536, 200_000, 3]) {
    const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
    const want = createHash('sha256').update(Uint8Array.of(0)).update(data).digest('hex');
    t.equal(toHex(leafHash(data)), want, `${n} bytes`);
  }
});
