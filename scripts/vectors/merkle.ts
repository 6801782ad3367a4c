import { toHex } from '../../sdk/src/encoding/hex.js';
import { isNexusError } from '../../sdk/src/errors/index.js';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  MerkleAccumulator,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyInput,
  type InclusionInput,
} from '../../sdk/src/merkle/index.js';

// Leaf i of the derived trees is the 4-byte big-endian encoding of i (0 <= i < 70). The
// reference set is the RFC 6962 8-leaf data of transparency-dev/merkle
// (testonly/constants.go); a verifier should pass both.
const MAX_SIZE = 70;
const REF_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const INCLUSION_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 70];
const CONSISTENCY_SIZES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 31, 32, 33, 64, 70];

/** One inclusion case (hex hashes); `expect` is "valid" or the error code a verifier must report. */
export interface InclusionCase { name: string; index: number; size: number; leafHash: string; proof: string[]; root: string; expect: string }
/** One consistency case (hex hashes); `expect` is "valid" or the error code a verifier must report. */
export interface ConsistencyCase { name: string; oldSize: number; newSize: number; oldRoot: string; newRoot: string; proof: string[]; expect: string }

function leafData(i: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, i, false);
  return b;
}

const flipBit = (hex: string, bit = 0): string => {
  const b = Buffer.from(hex, 'hex');
  b[bit >> 3] = (b[bit >> 3] as number) ^ (1 << (bit & 7));
  return b.toString('hex');
};

// Runs our verifier on a case and returns "valid" or the error code. The builder then
// asserts the code it meant to produce, so a vector can never silently change meaning.
function outcome(run: () => void): string {
  try {
    run();
    return 'valid';
  } catch (e) {
    if (isNexusError(e)) return e.code;
    throw e;
  }
}
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const checkInclusion = (c: InclusionCase): string =>
  outcome(() => verifyInclusion({ index: c.index, size: c.size, leafHash: bytes(c.leafHash), proof: c.proof.map(bytes), root: bytes(c.root) } satisfies InclusionInput));
const checkConsistency = (c: ConsistencyCase): string =>
  outcome(() => verifyConsistency({ oldSize: c.oldSize, newSize: c.newSize, oldRoot: bytes(c.oldRoot), newRoot: bytes(c.newRoot), proof: c.proof.map(bytes) } satisfies ConsistencyInput));

function assertExpect<T extends { name: string; expect: string }>(c: T, check: (c: T) => string): T {
  const got = check(c);
  if (got !== c.expect) throw new Error(`merkle vector "${c.name}": expected ${c.expect}, verifier says ${got}`);
  return c;
}

/** Builds spec/vectors/merkle.json: trees of sizes 1..70, proofs, and negative cases. All hashes hex. */
export function buildMerkleVectors(): object {
  const hashes = Array.from({ length: MAX_SIZE }, (_, i) => leafHash(leafData(i)));
  const roots: string[] = [toHex(emptyRoot())];
  const acc = new MerkleAccumulator();
  for (const h of hashes) {
    acc.append(h);
    roots.push(toHex(acc.root()));
  }
  const root = (n: number): string => roots[n] as string;

  const incl = (index: number, size: number): InclusionCase => ({
    name: `leaf ${index} of ${size}`, index, size, leafHash: toHex(hashes[index] as Uint8Array),
    proof: inclusionProof(index, hashes, size).map(toHex), root: root(size), expect: 'valid',
  });
  const inclusion: InclusionCase[] = [];
  for (const size of INCLUSION_SIZES) {
    for (const index of [...new Set([0, 1, size >> 1, size - 2, size - 1])].filter((i) => i >= 0 && i < size)) {
      inclusion.push(incl(index, size));
    }
  }
  const consistency: ConsistencyCase[] = [];
  for (const n of CONSISTENCY_SIZES) {
    for (const m of CONSISTENCY_SIZES) {
      if (m > n || n === 0) continue;
      consistency.push({
        name: `${m} to ${n}`, oldSize: m, newSize: n, oldRoot: root(m), newRoot: root(n),
        proof: consistencyProof(m, n, hashes).map(toHex), expect: 'valid',
      });
    }
  }

  const negInclusion: InclusionCase[] = [];
  for (const [index, size] of [[5, 8], [2, 5], [64, 70], [6, 7]] as const) {
    const base = incl(index, size);
    const at = `leaf ${index} of ${size}`;
    const p = base.proof;
    negInclusion.push(
      { ...base, name: `${at}: flipped bit in proof[0]`, proof: [flipBit(p[0] as string, 3), ...p.slice(1)], expect: 'MERKLE_PROOF_INVALID' },
      { ...base, name: `${at}: flipped bit in last proof hash`, proof: [...p.slice(0, -1), flipBit(p[p.length - 1] as string, 255)], expect: 'MERKLE_PROOF_INVALID' },
      { ...base, name: `${at}: flipped bit in root`, root: flipBit(base.root, 7), expect: 'MERKLE_PROOF_INVALID' },
      { ...base, name: `${at}: flipped bit in leaf hash`, leafHash: flipBit(base.leafHash, 100), expect: 'MERKLE_PROOF_INVALID' },
      { ...base, name: `${at}: root of another size`, root: root(size - 1), expect: 'MERKLE_PROOF_INVALID' },
      { ...base, name: `${at}: truncated proof`, proof: p.slice(0, -1), expect: 'MERKLE_PROOF_MALFORMED' },
      { ...base, name: `${at}: extra hash appended`, proof: [...p, base.root], expect: 'MERKLE_PROOF_MALFORMED' },
      { ...base, name: `${at}: 31-byte proof hash`, proof: [(p[0] as string).slice(2), ...p.slice(1)], expect: 'MERKLE_PROOF_MALFORMED' },
      { ...base, name: `${at}: index equal to size`, index: size, expect: 'MERKLE_INDEX_OUT_OF_RANGE' },
    );
  }
  // A wrong index whose proof has the same length: only the hashes can tell.
  negInclusion.push({ ...incl(5, 8), name: 'leaf 5 of 8: proof presented for index 4', index: 4, expect: 'MERKLE_PROOF_INVALID' });

  const negConsistency: ConsistencyCase[] = [];
  for (const [m, n] of [[6, 8], [3, 7], [32, 70], [17, 33]] as const) {
    const base = consistency.find((c) => c.oldSize === m && c.newSize === n) as ConsistencyCase;
    const at = `${m} to ${n}`;
    const p = base.proof;
    negConsistency.push(
      { ...base, name: `${at}: flipped bit in proof[0]`, proof: [flipBit(p[0] as string, 4), ...p.slice(1)], expect: 'CONSISTENCY_PROOF_INVALID' },
      { ...base, name: `${at}: flipped bit in last proof hash`, proof: [...p.slice(0, -1), flipBit(p[p.length - 1] as string, 200)], expect: 'CONSISTENCY_PROOF_INVALID' },
      { ...base, name: `${at}: flipped bit in old root`, oldRoot: flipBit(base.oldRoot, 9), expect: 'CONSISTENCY_PROOF_INVALID' },
      { ...base, name: `${at}: flipped bit in new root`, newRoot: flipBit(base.newRoot, 9), expect: 'CONSISTENCY_PROOF_INVALID' },
      { ...base, name: `${at}: swapped roots`, oldRoot: base.newRoot, newRoot: base.oldRoot, expect: 'CONSISTENCY_PROOF_INVALID' },
      { ...base, name: `${at}: truncated proof`, proof: p.slice(0, -1), expect: 'MERKLE_PROOF_MALFORMED' },
      { ...base, name: `${at}: empty proof`, proof: [], expect: 'MERKLE_PROOF_MALFORMED' },
      { ...base, name: `${at}: extra hash appended`, proof: [...p, base.newRoot], expect: 'MERKLE_PROOF_MALFORMED' },
    );
  }
  const e = root(0);
  negConsistency.push(
    { name: 'old size above new size', oldSize: 8, newSize: 6, oldRoot: root(8), newRoot: root(6), proof: [], expect: 'CONSISTENCY_PROOF_INVALID' },
    { name: 'equal sizes, different roots', oldSize: 5, newSize: 5, oldRoot: root(5), newRoot: root(4), proof: [], expect: 'CONSISTENCY_PROOF_INVALID' },
    { name: 'equal sizes, non-empty proof', oldSize: 5, newSize: 5, oldRoot: root(5), newRoot: root(5), proof: [root(5)], expect: 'MERKLE_PROOF_MALFORMED' },
    { name: 'size 0, non-empty proof', oldSize: 0, newSize: 5, oldRoot: e, newRoot: root(5), proof: [e], expect: 'MERKLE_PROOF_MALFORMED' },
    { name: 'size 0 with a root other than the empty-tree hash', oldSize: 0, newSize: 5, oldRoot: root(1), newRoot: root(5), proof: [], expect: 'CONSISTENCY_PROOF_INVALID' },
  );

  const refHashes = REF_LEAVES.map((l) => leafHash(bytes(l)));
  const refAcc = new MerkleAccumulator();
  const refRoots = [toHex(refAcc.root())];
  for (const h of refHashes) {
    refAcc.append(h);
    refRoots.push(toHex(refAcc.root()));
  }

  return {
    description: 'RFC 6962 / RFC 9162 §2.1 Merkle trees over SHA-256 (spec/merkle.md). All byte strings are lower-case hex.',
    leafData: 'derived trees: leaf i (0-based) is the 4-byte big-endian encoding of i',
    reference: {
      source: 'transparency-dev/merkle testonly/constants.go (RFC 6962 test data, ex google/trillian)',
      leaves: REF_LEAVES,
      roots: refRoots,
    },
    leaves: hashes.map((h, i) => ({ data: toHex(leafData(i)), hash: toHex(h) })),
    roots: roots.map((r, size) => ({ size, root: r })),
    inclusion: [...inclusion, ...negInclusion].map((c) => assertExpect(c, checkInclusion)),
    consistency: [...consistency, ...negConsistency].map((c) => assertExpect(c, checkConsistency)),
  };
}
