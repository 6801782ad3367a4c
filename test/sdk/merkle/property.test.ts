import fc from 'fast-check';
import t from 'tap';
import { toHex } from '../../../sdk/src/encoding/hex.js';
import {
  consistencyProof,
  inclusionProof,
  MerkleAccumulator,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../../sdk/src/merkle/index.js';
import { throwsCode } from '../../helpers/codes.js';
import * as oracle from './oracle.js';

const ALL = oracle.leaves(200);

// Returns a copy of `b` with byte `pos % length` XORed with a non-zero mask.
function flip(b: Uint8Array, pos: number, mask: number): Uint8Array {
  const c = Uint8Array.from(b);
  c[pos % c.length] = (c[pos % c.length] as number) ^ mask;
  return c;
}

const sizeAndIndex = fc.integer({ min: 1, max: 200 }).chain((size) => fc.tuple(fc.constant(size), fc.nat({ max: size - 1 })));
const sizes = fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.nat({ max: n }), fc.constant(n)));
const tamper = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }));

t.test('roots, proofs and the accumulator agree with the RFC recursive definitions', async (t) => {
  const acc = new MerkleAccumulator();
  for (let n = 1; n <= 70; n++) {
    acc.append(ALL[n - 1] as Uint8Array);
    const d = ALL.slice(0, n);
    const want = toHex(oracle.mth(d));
    t.equal(toHex(rootFromLeafHashes(d)), want);
    t.equal(toHex(acc.root()), want);
    for (let m = 0; m <= n; m++) {
      if (m < n) t.same(inclusionProof(m, ALL, n).map(toHex), oracle.path(m, d).map(toHex));
      t.same(consistencyProof(m, n, ALL).map(toHex), oracle.proof(m, d).map(toHex));
    }
  }
});

t.test('every inclusion proof verifies; any flipped byte fails', async (t) => {
  fc.assert(
    fc.property(sizeAndIndex, tamper, ([size, index], [which, pos, mask]) => {
      const proof = inclusionProof(index, ALL, size);
      const root = rootFromLeafHashes(ALL.slice(0, size));
      const leafHash = ALL[index] as Uint8Array;
      verifyInclusion({ index, size, leafHash, proof, root });
      const target = proof.length === 0 ? which % 2 : which % 3;
      if (target === 0) verifyBad({ index, size, leafHash: flip(leafHash, pos, mask), proof, root });
      else if (target === 1) verifyBad({ index, size, leafHash, proof, root: flip(root, pos, mask) });
      else {
        const bad = [...proof];
        const i = pos % bad.length;
        bad[i] = flip(bad[i] as Uint8Array, pos >> 5, mask);
        verifyBad({ index, size, leafHash, proof: bad, root });
      }
    }),
    { numRuns: 300 },
  );
  function verifyBad(input: Parameters<typeof verifyInclusion>[0]): void {
    throwsCode(t, () => verifyInclusion(input), 'MERKLE_PROOF_INVALID');
  }
});

t.test('every consistency proof verifies; any flipped byte fails', async (t) => {
  fc.assert(
    fc.property(sizes, tamper, ([oldSize, newSize], [which, pos, mask]) => {
      const proof = consistencyProof(oldSize, newSize, ALL);
      const oldRoot = rootFromLeafHashes(ALL.slice(0, oldSize));
      const newRoot = rootFromLeafHashes(ALL.slice(0, newSize));
      verifyConsistency({ oldSize, newSize, oldRoot, newRoot, proof });
      // From size 0 every tree is consistent (RFC 9162), so only oldRoot (which must be
      // the empty-tree hash) is bound; otherwise both roots and every proof hash are.
      const targets = oldSize === 0 ? 1 : proof.length === 0 ? 2 : 3;
      const target = which % targets;
      const input = { oldSize, newSize, oldRoot, newRoot, proof };
      if (target === 0) bad({ ...input, oldRoot: flip(oldRoot, pos, mask) });
      else if (target === 1) bad({ ...input, newRoot: flip(newRoot, pos, mask) });
      else {
        const p = [...proof];
        const i = pos % p.length;
        p[i] = flip(p[i] as Uint8Array, pos >> 5, mask);
        bad({ ...input, proof: p });
      }
    }),
    { numRuns: 300 },
  );
  function bad(input: Parameters<typeof verifyConsistency>[0]): void {
    throwsCode(t, () => verifyConsistency(input), 'CONSISTENCY_PROOF_INVALID');
  }
});

t.test('incremental accumulator equals the batch root at every size', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 200 }), (hs) => {
      const acc = new MerkleAccumulator();
      for (const h of hs) acc.append(h);
      t.equal(acc.size, hs.length);
      t.equal(toHex(acc.root()), toHex(rootFromLeafHashes(hs)));
      t.equal(toHex(MerkleAccumulator.restore(acc.size, acc.peaks()).root()), toHex(acc.root()));
    }),
    { numRuns: 100 },
  );
});
