// InclusionRun (the shared-node fast path for a file of inclusion proofs) against
// checkInclusionLine run on each line alone: the same verdict and coded error on every line,
// whatever was changed, including a line whose lower nodes match the last verified proof.
import fc from 'fast-check';
import t from 'tap';
import { toBase64 } from '../../../sdk/src/encoding/base64.js';
import { canonicalBytes } from '../../../sdk/src/encoding/canonical-json.js';
import { utf8 } from '../../../sdk/src/encoding/utf8.js';
import { inclusionProof, leafHash, rootFromLeafHashes } from '../../../sdk/src/merkle/index.js';
import { checkInclusionLine } from '../../../sdk/src/verify/inclusion-line.js';
import { InclusionRun } from '../../../sdk/src/verify/inclusion-run.js';
import { decodeHash, layoutOf } from '../../../sdk/src/verify/inclusion-line-bytes.js';
import { fromBase64 } from '../../../sdk/src/encoding/base64.js';

const LEAVES = Array.from({ length: 300 }, (_, i) => leafHash(utf8(`leaf ${i}`)));
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

type Proof = { logIndex: string; hashes: unknown[] };
const proofOf = (i: number, size: number): Proof => ({ logIndex: String(i), hashes: inclusionProof(i, LEAVES, size).map((h) => toBase64(h)) });
const line = (p: unknown): Uint8Array => (typeof p === 'string' ? utf8(p) : canonicalBytes(p));

type Outcome = string;
const outcome = (fn: () => void): Outcome => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return `${(e as { code?: string }).code ?? 'not coded'} ${(e as { field?: string }).field ?? ''}`;
  }
};
/**
 * Every line through one run (continuing past failures, so later lines meet every memo state),
 * and each line alone. The run is made twice, copying what it keeps and keeping it in place
 * (these lines and leaves never change); `fast` is the copying run's verdicts, only once the
 * in-place run has given exactly the same ones.
 */
function compare(lines: readonly Uint8Array[], leaves: readonly Uint8Array[], size: number, root: Uint8Array): { fast: Outcome[]; slow: Outcome[] } {
  const through = (run: InclusionRun): Outcome[] => lines.map((l, i) => outcome(() => run.check(l, i, leaves[i] as Uint8Array)));
  const fast = through(new InclusionRun(size, root));
  const inPlace = through(new InclusionRun(size, root, { inPlace: true }));
  if (JSON.stringify(inPlace) !== JSON.stringify(fast)) throw new Error(`in place: ${JSON.stringify(inPlace)}, copying: ${JSON.stringify(fast)}`);
  return { fast, slow: lines.map((l, i) => outcome(() => checkInclusionLine(l, i, leaves[i] as Uint8Array, size, root))) };
}

/** A base64 hash with one character changed: another valid hash, or (last character) non-zero trailing bits. */
const otherChar = (h: unknown, at: number): unknown => {
  if (typeof h !== 'string') return h;
  const pos = at % 43;
  const c = B64.indexOf(h[pos] as string);
  return `${h.slice(0, pos)}${B64[(c + 1) % 64]}${h.slice(pos + 1)}`;
};

type Edit = (p: Proof, k: number) => unknown;
const EDITS: Record<string, Edit> = {
  'a hash changed': (p, k) => ({ ...p, hashes: p.hashes.map((h, j) => (j === k % Math.max(1, p.hashes.length) ? otherChar(h, k) : h)) }),
  'the top hash changed': (p, k) => ({ ...p, hashes: p.hashes.map((h, j) => (j === p.hashes.length - 1 ? otherChar(h, k) : h)) }),
  'a hash dropped': (p, k) => ({ ...p, hashes: p.hashes.filter((_, j) => j !== k % Math.max(1, p.hashes.length)) }),
  'a hash repeated': (p) => ({ ...p, hashes: [...p.hashes, p.hashes.at(-1) ?? 'AAAA'] }),
  'a hash not a string': (p, k) => ({ ...p, hashes: p.hashes.map((h, j) => (j === k % Math.max(1, p.hashes.length) ? 7 : h)) }),
  'a short hash': (p) => ({ ...p, hashes: p.hashes.map((h, j) => (j === p.hashes.length - 1 ? 'AAAA' : h)) }),
  'another index': (p, k) => ({ ...p, logIndex: String((Number(p.logIndex) + 1 + k) % 300) }),
  'an index with a leading zero': (p) => ({ ...p, logIndex: `0${p.logIndex}` }),
  'not JSON': () => '{"logIndex":',
  'null': () => 'null',
};

t.test('an intact file verifies line by line, and sharing nodes changes no verdict', async (t) => {
  for (const size of [1, 2, 3, 7, 8, 9, 64, 65, 300]) {
    const from = Math.floor(size / 3);
    const idx = Array.from({ length: size - from }, (_, j) => from + j);
    const { fast, slow } = compare(idx.map((i) => line(proofOf(i, size))), idx.map((i) => LEAVES[i] as Uint8Array), size, rootFromLeafHashes(LEAVES.slice(0, size)));
    t.same(fast, slow, `size ${size}, leaves ${from}..${size - 1}`);
    t.ok(fast.every((o) => o === 'ok'), `size ${size}: every line verifies`);
  }
});

t.test('a line that shares its lower nodes with a verified one but changes a sibling above them is refused', async (t) => {
  const size = 64;
  const root = rootFromLeafHashes(LEAVES.slice(0, size));
  const good = proofOf(10, size);
  const bad = proofOf(11, size);
  bad.hashes[5] = otherChar(bad.hashes[5], 3);
  const run = new InclusionRun(size, root);
  run.check(line(good), 0, LEAVES[10] as Uint8Array);
  t.equal(outcome(() => run.check(line(bad), 1, LEAVES[11] as Uint8Array)), 'MERKLE_PROOF_INVALID /1/proof', 'the changed top is caught');
  t.equal(outcome(() => checkInclusionLine(line(bad), 1, LEAVES[11] as Uint8Array, size, root)), 'MERKLE_PROOF_INVALID /1/proof', 'as the one-line check says');
  t.equal(outcome(() => run.check(line(proofOf(11, size)), 2, LEAVES[12] as Uint8Array)), 'MERKLE_PROOF_INVALID /2/proof', 'a proof of another leaf is caught too');
});

t.test('any edit to any lines gives the verdicts of the one-line check (property)', async (t) => {
  const names = Object.keys(EDITS);
  let runs = 0;
  let refused = 0;
  const scenario = fc.integer({ min: 2, max: 300 }).chain((size) => fc.tuple(
    fc.constant(size),
    fc.nat({ max: size - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...names), fc.nat()), { maxLength: 4 }),
    fc.boolean(),
  ));
  fc.assert(fc.property(scenario, ([size, from, edits, swapLeaves]) => {
    const idx = Array.from({ length: Math.min(size - from, 40) }, (_, j) => from + j);
    const proofs: unknown[] = idx.map((i) => proofOf(i, size));
    for (const [at, name, k] of edits) {
      const j = at % proofs.length;
      const p = proofs[j];
      proofs[j] = typeof p === 'object' && p !== null ? (EDITS[name] as Edit)(p as Proof, k) : p;
    }
    const leaves = idx.map((i) => LEAVES[i] as Uint8Array);
    if (swapLeaves && leaves.length > 1) [leaves[0], leaves[1]] = [leaves[1] as Uint8Array, leaves[0] as Uint8Array];
    const { fast, slow } = compare(proofs.map(line), leaves, size, rootFromLeafHashes(LEAVES.slice(0, size)));
    runs++;
    if (slow.some((o) => o !== 'ok')) refused++;
    return JSON.stringify(fast) === JSON.stringify(slow);
  }), { numRuns: 300 });
  t.equal(runs, 300, 'the same verdicts on 300 edited files');
  t.ok(refused > 100, `most edited files have a refused line (${refused}), so the comparison is not vacuous`);
});

t.test('a tree the slow check refuses outright is refused the same way', async (t) => {
  const lines = [line(proofOf(0, 8))];
  for (const [size, root] of [[0, rootFromLeafHashes(LEAVES.slice(0, 8))], [8, new Uint8Array(31)], [2 ** 53, rootFromLeafHashes(LEAVES.slice(0, 8))]] as const) {
    const { fast, slow } = compare(lines, [LEAVES[0] as Uint8Array], size, root);
    t.same(fast, slow, `size ${size}, root of ${root.length} bytes: ${slow[0]}`);
    t.not(fast[0], 'ok');
  }
});

/** Byte edits to a line as written: the fast path reads bytes where they lie, so bytes are what to disturb. */
const NASTY = [...'",]=A/+-_ 09\\\n{}'].map((c) => c.charCodeAt(0)).concat([0x80, 0xff, 0x00]);
const byteEdit = (b: Uint8Array, [kind, at, v]: [number, number, number]): Uint8Array => {
  const pos = at % (b.length + 1);
  const byte = NASTY[v % NASTY.length] as number;
  if (kind === 0) return Uint8Array.from(b, (x, j) => (j === pos ? byte : x));
  if (kind === 1) return new Uint8Array([...b.subarray(0, pos), byte, ...b.subarray(pos)]);
  return new Uint8Array([...b.subarray(0, pos), ...b.subarray(pos + 1)]);
};

t.test('any byte changed, inserted or removed in any lines gives the verdicts of the one-line check (property)', async (t) => {
  let runs = 0;
  let refused = 0;
  const scenario = fc.integer({ min: 2, max: 300 }).chain((size) => fc.tuple(
    fc.constant(size),
    fc.nat({ max: size - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.tuple(fc.nat({ max: 2 }), fc.nat(), fc.nat())), { maxLength: 4 }),
  ));
  fc.assert(fc.property(scenario, ([size, from, edits]) => {
    const idx = Array.from({ length: Math.min(size - from, 40) }, (_, j) => from + j);
    const lines = idx.map((i) => line(proofOf(i, size)));
    for (const [at, edit] of edits) lines[at % lines.length] = byteEdit(lines[at % lines.length] as Uint8Array, edit);
    const { fast, slow } = compare(lines, idx.map((i) => LEAVES[i] as Uint8Array), size, rootFromLeafHashes(LEAVES.slice(0, size)));
    runs++;
    if (slow.some((o) => o !== 'ok')) refused++;
    return JSON.stringify(fast) === JSON.stringify(slow);
  }), { numRuns: 500 });
  t.equal(runs, 500);
  t.ok(refused > 150, `most edited files have a refused line (${refused})`);
});

t.test('decodeHash accepts exactly the 44-character strings fromBase64 decodes to 32 bytes, with the same bytes (property)', async (t) => {
  let accepted = 0;
  const chars = fc.constantFrom(...B64, '=', '-', '_', '"', ' ', 'é');
  fc.assert(fc.property(fc.oneof(
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toBase64(b)),
    fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat({ max: 43 }), chars).map(([b, at, c]) => { const s = toBase64(b); return s.slice(0, at) + c + s.slice(at + 1); }),
  ), (text) => {
    const bytes = Buffer.from(text, 'utf8');
    let slow: Uint8Array | undefined;
    try { slow = fromBase64(text); } catch { slow = undefined; }
    const fast = bytes.length === 44 ? decodeHash(bytes, 0) : undefined;
    if (fast !== undefined) accepted++;
    return slow !== undefined && slow.length === 32 ? fast !== undefined && Buffer.from(fast).equals(Buffer.from(slow)) : fast === undefined;
  }), { numRuns: 3000 });
  t.ok(accepted > 1000, `${accepted} of 3000 strings decoded`);
});

t.test('layoutOf finds in a canonical line exactly what JSON.parse reads, and nothing in other forms', async (t) => {
  let shaped = 0;
  fc.assert(fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 64 }), fc.nat({ max: Number.MAX_SAFE_INTEGER }), (hashes, index) => {
    const p = { logIndex: String(index), hashes: hashes.map((h) => toBase64(h)) };
    const l = layoutOf(canonicalBytes(p));
    if (l === undefined) return false;
    shaped++;
    return l.index === index && l.starts.length === hashes.length && l.starts.every((s, j) => l.bytes.toString('latin1', s, s + 44) === p.hashes[j]) && l.bytes[l.listEnd] === 0x5d;
  }), { numRuns: 1000 });
  t.equal(shaped, 1000);
  for (const other of ['{"hashes": [],"logIndex":"0"}', '{"logIndex":"0","hashes":[]}', '{"hashes":[],"logIndex":"00"}', '{"hashes":[],"logIndex":0}', '{"hashes":[],"logIndex":"12345678901234567"}', '{"hashes":[],"logIndex":"1"} ', '{"hashes":["AAAA"],"logIndex":"1"}']) {
    t.equal(layoutOf(utf8(other)), undefined, other);
  }
  t.same(layoutOf(utf8('{"hashes":[],"logIndex":"0"}'))?.starts, [], 'an empty proof (a one-leaf tree) has the form');
});

t.test('a caller that reuses one buffer for every line and leaf gets the one-line verdicts', async (t) => {
  const size = 4;
  const root = rootFromLeafHashes(LEAVES.slice(0, size));
  const good = line(proofOf(0, size));
  // Line 1 keeps line 0's top sibling bytes in place but makes it invalid base64.
  const bad = utf8(`{"hashes":["${toBase64(LEAVES[0] as Uint8Array)}","${'!'.repeat(43)}="],"logIndex":"1"}`);
  const buf = new Uint8Array(Math.max(good.length, bad.length));
  const leafBuf = new Uint8Array(32);
  const run = new InclusionRun(size, root);
  buf.set(good);
  leafBuf.set(LEAVES[0] as Uint8Array);
  t.equal(outcome(() => run.check(buf.subarray(0, good.length), 0, leafBuf)), 'ok');
  buf.set(bad);
  leafBuf.set(LEAVES[1] as Uint8Array);
  const slow = outcome(() => checkInclusionLine(bad, 1, LEAVES[1] as Uint8Array, size, root));
  t.equal(outcome(() => run.check(buf.subarray(0, bad.length), 1, leafBuf)), slow);
  t.not(slow, 'ok');
});

t.test('a leaf that is not bytes gets the one-line check\'s coded error', async (t) => {
  const size = 8;
  const root = rootFromLeafHashes(LEAVES.slice(0, size));
  const l = line(proofOf(0, size));
  const slow = outcome(() => checkInclusionLine(l, 0, 'leaf' as unknown as Uint8Array, size, root));
  t.equal(outcome(() => new InclusionRun(size, root).check(l, 0, 'leaf' as unknown as Uint8Array)), slow);
  t.match(slow, /^MERKLE_PROOF_MALFORMED/);
});
