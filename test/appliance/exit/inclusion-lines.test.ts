// The export writes ledger/inclusion.jsonl by hand and sizes it without proving anything
// (sections/inclusion-lines.ts), and proves many leaves against one tree size with shared
// right-edge roots (MerkleTree.prover). Each is held here to the plain form it replaces:
// canonicalBytes of { logIndex, hashes } over MerkleTree.inclusionProof.
import t from 'tap';
import fc from 'fast-check';
import { canonicalBytes, leafHash, toBase64 } from '@nexus-cos/sdk';
import { MerkleTree } from '../../../appliance/src/domain/ledger/merkle-tree.js';
import { inclusionLine, inclusionLineSize } from '../../../appliance/src/exit/sections/inclusion-lines.js';

const plainLine = (index: number, hashes: readonly Uint8Array[]): Uint8Array => canonicalBytes({ logIndex: String(index), hashes: hashes.map((h) => toBase64(h)) });

function treeOf(n: number): MerkleTree {
  const tree = new MerkleTree();
  for (let i = 0; i < n; i++) tree.append(leafHash(new TextEncoder().encode(`leaf ${i}`)));
  return tree;
}

const tree = treeOf(300);

t.test('every leaf of every tree size up to 300: the prover and the line agree with the plain form', async (t) => {
  let checked = 0;
  let bad = 0;
  for (let size = 1; size <= tree.size; size++) {
    const prove = tree.prover(size);
    for (let i = 0; i < size; i++) {
      const hashes = prove(i);
      const expected = tree.inclusionProof(i, size);
      const line = inclusionLine(i, hashes);
      const plain = plainLine(i, expected);
      if (Buffer.compare(Buffer.from(line), Buffer.from(plain)) !== 0 || inclusionLineSize(i, size) !== plain.length) bad++;
      checked++;
    }
  }
  t.equal(checked, (300 * 301) / 2);
  t.equal(bad, 0, 'no leaf differs');
});

t.test('proofs from one prover do not disturb each other (the right-edge roots are shared, not rewritten)', async (t) => {
  const prove = tree.prover(299);
  const first = prove(0).map((h) => toBase64(h));
  for (let i = 0; i < 299; i++) prove(i);
  t.same(prove(0).map((h) => toBase64(h)), first);
  t.same(first, tree.inclusionProof(0, 299).map((h) => toBase64(h)));
});

/**
 * The length of an inclusion path, counted as RFC 9162 §2.1.3.2 verifies one (fn and sn
 * shifted until sn reaches 0): a second derivation, independent of the prover's walk.
 */
function pathLength(index: number, size: number): number {
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let n = 0;
  while (sn > 0n) {
    n++;
    if ((fn & 1n) === 1n || fn === sn) {
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return n;
}

t.test('the RFC path-length count agrees with the real proofs, so it can judge large trees', async (t) => {
  let bad = 0;
  for (let size = 1; size <= tree.size; size++) for (let i = 0; i < size; i++) if (pathLength(i, size) !== tree.inclusionProof(i, size).length) bad++;
  t.equal(bad, 0);
});

t.test('in trees of up to 2^53 leaves, at indexes of every length, a line is the plain form and its size is known beforehand', async (t) => {
  const zero = new Uint8Array(32).fill(0xa5);
  let runs = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (size, at) => {
      runs++;
      const index = Math.min(size - 1, Math.floor(at * size));
      // A line's bytes do not depend on which hashes the path holds, only on how many.
      const hashes = Array.from({ length: pathLength(index, size) }, () => zero);
      const plain = plainLine(index, hashes);
      return inclusionLineSize(index, size) === plain.length && Buffer.compare(Buffer.from(inclusionLine(index, hashes)), Buffer.from(plain)) === 0;
    }),
    { numRuns: 2000 },
  );
  t.equal(runs, 2000);
});

t.test('a leaf index outside the tree is refused, as by the plain proof', async (t) => {
  t.throws(() => tree.prover(10)(10), { code: 'MERKLE_INDEX_OUT_OF_RANGE' });
  t.throws(() => inclusionLineSize(10, 10), { code: 'MERKLE_INDEX_OUT_OF_RANGE' });
});
