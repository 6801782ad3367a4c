/**
 * Generates spec/schemas/*.json from the TypeBox registry (the single source), or with
 * `--check` writes nothing and exits 1 listing every file that differs, is missing or is extra.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCHEMAS, type SchemaEntry } from '../sdk/src/schemas/index.js';

/** Where the generated files live. */
export const SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'spec', 'schemas');

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const BASE = 'https://nexus-cos.dev/schemas/';

/** `ExitBundleManifest` -> `exit-bundle-manifest`. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

// Keys sorted at every depth so output never depends on TypeBox's insertion order. Nested
// `$id`s are dropped: in 2020-12 they would start embedded resources with their own base URI.
function normalize(value: unknown, root: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, false));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === '$id' && !root) continue;
    out[key] = normalize((value as Record<string, unknown>)[key], false);
  }
  return out;
}

function render(entry: SchemaEntry): string {
  const id = `${BASE}${kebab(entry.name)}.v1.json`;
  const body = normalize(entry.schema, true) as Record<string, unknown>;
  const doc = normalize({ ...body, $schema: DRAFT, $id: id, 'x-media-type': entry.mediaType }, true);
  return JSON.stringify(doc, null, 2) + '\n';
}

function readme(): string {
  const rows = SCHEMAS.map((e) => {
    const title = typeof e.schema.title === 'string' ? e.schema.title : e.name;
    return `| [${kebab(e.name)}.v1.json](./${kebab(e.name)}.v1.json) | \`${e.mediaType}\` | ${title} |`;
  });
  return [
    '# JSON Schemas (generated)',
    '',
    'Generated from `sdk/src/schemas` by `npm run spec:gen`; do not edit by hand.',
    'CI runs `npm run spec:check` and fails when these files drift from the TypeBox sources.',
    '',
    '| File | Media type | Title |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Every generated file: name within SCHEMA_DIR -> exact contents. */
export function renderSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of SCHEMAS) files.set(`${kebab(entry.name)}.v1.json`, render(entry));
  files.set('README.md', readme());
  return files;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
  } catch {
    return [];
  }
}

/** Differences between the registry and `dir`, one line per file; empty when in sync. */
export function diffSchemas(dir: string = SCHEMA_DIR): string[] {
  const expected = renderSchemas();
  const problems: string[] = [];
  for (const [name, text] of expected) {
    let actual: string | undefined;
    try {
      actual = readFileSync(join(dir, name), 'utf8');
    } catch {
      actual = undefined;
    }
    if (actual === undefined) problems.push(`missing: ${name}`);
    else if (actual !== text) problems.push(`differs: ${name}`);
  }
  for (const name of listDir(dir).sort()) if (!expected.has(name)) problems.push(`extra: ${name}`);
  return problems;
}

/** Writes every file and removes stale generated schemas; returns the names written. */
export function writeSchemas(dir: string = SCHEMA_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const expected = renderSchemas();
  for (const name of listDir(dir)) if (name.endsWith('.json') && !expected.has(name)) rmSync(join(dir, name));
  for (const [name, text] of expected) writeFileSync(join(dir, name), text);
  return [...expected.keys()];
}

function main(argv: readonly string[]): number {
  if (argv.includes('--check')) {
    const problems = diffSchemas();
    for (const p of problems) console.error(`spec/schemas: ${p}`);
    if (problems.length > 0) console.error('run `npm run spec:gen` and commit the result');
    return problems.length === 0 ? 0 : 1;
  }
  const written = writeSchemas();
  console.log(`wrote ${written.length} files to spec/schemas`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
