import t from 'tap';
import { readFileSync } from 'node:fs';
import { canonicalize } from '../../sdk/src/encoding/canonical-json.js';
import { fromHex, toHex } from '../../sdk/src/encoding/hex.js';
import { isNexusError } from '../../sdk/src/errors/index.js';
import { PublicKey } from '../../sdk/src/identity/public-key.js';
import { leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../sdk/src/merkle/index.js';
import { openCheckpoint, openNote, parseVerifierKey } from '../../sdk/src/note/index.js';
import { pae } from '../../sdk/src/sign/pae.js';
import { verifyEnvelope } from '../../sdk/src/verify/envelope.js';
import { assertSignature } from '../../sdk/src/verify/signature.js';
import { TrustedKeys } from '../../sdk/src/verify/trust.js';
import { diffVectors } from '../../scripts/gen-vectors.js';

// Reads the committed files in spec/vectors, exactly as another implementation would,
// and checks every case's expected outcome: "valid" or the error code.
const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../spec/vectors/${name}`, import.meta.url), 'utf8')) as T;
type Case = { name: string; expect: string };

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'valid';
  } catch (e) {
    if (isNexusError(e)) return e.code;
    throw e;
  }
}

t.test('spec/vectors is exactly what the generator writes', async (t) => {
  t.same(diffVectors(), []);
});

t.test('ed25519.json, on both back ends', async (t) => {
  const v = load<{ cases: (Case & { publicKey: string; message: string; signature: string })[] }>('ed25519.json');
  t.ok(v.cases.length >= 15);
  for (const c of v.cases) {
    for (const backend of ['node', 'noble'] as const) {
      t.equal(outcome(() => assertSignature(PublicKey.fromBytes(fromHex(c.publicKey)), fromHex(c.message), fromHex(c.signature), backend)), c.expect, `${backend}: ${c.name}`);
    }
  }
});

t.test('canonical-json.json', async (t) => {
  const v = load<{ cases: { input: string; canonical?: string; canonicalHex?: string; expect?: string }[] }>('canonical-json.json');
  for (const c of v.cases) {
    let got = '';
    const r = outcome(() => (got = canonicalize(JSON.parse(c.input))));
    if (c.expect !== undefined) t.equal(r, c.expect, `refused: ${c.input}`);
    else {
      t.equal(got, c.canonical, `canonical: ${c.input}`);
      t.equal(toHex(new TextEncoder().encode(got)), c.canonicalHex);
    }
  }
});

t.test('envelope.json', async (t) => {
  type V = {
    trusted: string[];
    valid: { payloadType: string; payloadHex: string; paeHex: string; signatureHex: string; envelope: unknown; expect: string };
    cases: (Case & { envelope: unknown; expectPayloadType?: string })[];
  };
  const v = load<V>('envelope.json');
  const trusted = TrustedKeys.fromDids(v.trusted);
  t.equal(toHex(pae(v.valid.payloadType, fromHex(v.valid.payloadHex))), v.valid.paeHex, 'PAE bytes');
  t.equal(outcome(() => verifyEnvelope(v.valid.envelope, { trusted })), 'valid');
  for (const c of v.cases) {
    const opts = c.expectPayloadType === undefined ? { trusted } : { trusted, payloadType: c.expectPayloadType };
    t.equal(outcome(() => verifyEnvelope(c.envelope, opts)), c.expect, c.name);
  }
});

t.test('merkle.json', async (t) => {
  type Incl = Case & { index: number; size: number; leafHash: string; proof: string[]; root: string };
  type Cons = Case & { oldSize: number; newSize: number; oldRoot: string; newRoot: string; proof: string[] };
  const v = load<{ reference: { leaves: string[]; roots: string[] }; leaves: { data: string; hash: string }[]; roots: { size: number; root: string }[]; inclusion: Incl[]; consistency: Cons[] }>('merkle.json');
  const refLeaves = v.reference.leaves.map((d) => leafHash(fromHex(d)));
  v.reference.roots.forEach((root, n) => t.equal(toHex(rootFromLeafHashes(refLeaves.slice(0, n))), root, `RFC 6962 reference root, size ${n}`));
  for (const l of v.leaves) t.equal(toHex(leafHash(fromHex(l.data))), l.hash);
  const hashes = v.leaves.map((l) => fromHex(l.hash));
  for (const r of v.roots) t.equal(toHex(rootFromLeafHashes(hashes.slice(0, r.size))), r.root, `root of ${r.size}`);
  for (const c of v.inclusion) {
    t.equal(outcome(() => verifyInclusion({ index: c.index, size: c.size, leafHash: fromHex(c.leafHash), proof: c.proof.map((h) => fromHex(h)), root: fromHex(c.root) })), c.expect, c.name);
  }
  for (const c of v.consistency) {
    t.equal(outcome(() => verifyConsistency({ oldSize: c.oldSize, newSize: c.newSize, oldRoot: fromHex(c.oldRoot), newRoot: fromHex(c.newRoot), proof: c.proof.map((h) => fromHex(h)) })), c.expect, c.name);
  }
});

t.test('note.json', async (t) => {
  const v = load<{ cases: (Case & { kind: string; note: string; trusted: string[]; origin?: string })[] }>('note.json');
  for (const c of v.cases) {
    const r = outcome(() => {
      const trusted = c.trusted.map((k) => parseVerifierKey(k));
      return c.kind === 'checkpoint' ? openCheckpoint(c.note, { origin: c.origin ?? '', trusted }) : openNote(c.note, trusted);
    });
    t.equal(r, c.expect, c.name);
  }
});
