import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildArtifacts } from './vectors/artifacts.js';
import { buildEd25519Vectors } from './vectors/ed25519.js';
import { buildCanonicalJsonVectors, buildEnvelopeVectors } from './vectors/envelope.js';
import { buildMerkleVectors } from './vectors/merkle.js';
import { buildNoteVectors } from './vectors/note.js';

/** Where the vectors live. */
export const VECTOR_DIR = fileURLToPath(new URL('../spec/vectors/', import.meta.url));

/** Every vector file, path relative to spec/vectors, with its exact content. Deterministic. */
export function renderVectors(): Map<string, string | Uint8Array> {
  const out = new Map<string, string | Uint8Array>();
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  out.set('ed25519.json', json(buildEd25519Vectors()));
  out.set('envelope.json', json(buildEnvelopeVectors().vectors));
  out.set('canonical-json.json', json(buildCanonicalJsonVectors()));
  out.set('merkle.json', json(buildMerkleVectors()));
  out.set('note.json', json(buildNoteVectors()));
  for (const [name, content] of Object.entries(buildArtifacts())) out.set(`artifacts/${name}`, content);
  return out;
}

/** Files that differ from what the generator would write (empty when in sync). */
export function diffVectors(dir = VECTOR_DIR): string[] {
  const diffs: string[] = [];
  const want = renderVectors();
  for (const [rel, content] of want) {
    let have: Buffer | undefined;
    try {
      have = readFileSync(join(dir, rel));
    } catch {
      diffs.push(`missing: ${rel}`);
      continue;
    }
    if (!have.equals(Buffer.from(content))) diffs.push(`differs: ${rel}`);
  }
  for (const sub of ['', 'artifacts/']) {
    for (const f of readdirSync(join(dir, sub), { withFileTypes: true })) {
      if (f.isFile() && f.name !== 'README.md' && !want.has(`${sub}${f.name}`)) diffs.push(`extra: ${sub}${f.name}`);
    }
  }
  return diffs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const diffs = diffVectors();
    for (const d of diffs) console.error(d);
    process.exit(diffs.length === 0 ? 0 : 1);
  }
  mkdirSync(join(VECTOR_DIR, 'artifacts'), { recursive: true });
  const all = renderVectors();
  for (const [rel, content] of all) writeFileSync(join(VECTOR_DIR, rel), content);
  console.log(`wrote ${all.size} files to spec/vectors`);
}
