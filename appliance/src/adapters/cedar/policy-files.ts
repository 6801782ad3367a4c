import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkParsePolicySet, policySetTextToParts, policyToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { NexusError, canonicalBytes, sha256, toHex } from '@nexus-cos/sdk';

/** One source file of the policy set: its base name and exact text. */
export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

/** The sources of a policy directory: one schema and the `*.cedar` files, sorted by name. */
export interface PolicySources {
  readonly schema: SourceFile;
  readonly policies: readonly SourceFile[];
}

/** Policies keyed by their `@id` annotation, and the file each came from. */
export interface IdentifiedPolicies {
  readonly byId: Record<string, string>;
  readonly fileOf: ReadonlyMap<string, string>;
}

// Fatal: a file that is not UTF-8 is refused rather than silently repaired, so the
// digest always covers the exact bytes on disk.
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const invalid = (message: string, field: string): NexusError => new NexusError('INPUT_INVALID', message, { field });
const byName = (a: SourceFile, b: SourceFile): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Reads `dir`: exactly one `*.cedarschema` and at least one `*.cedar` file. */
export function readPolicyDir(dir: string): PolicySources {
  const names = readdirSync(dir).sort();
  const read = (name: string): SourceFile => {
    try {
      return { name, text: UTF8.decode(readFileSync(join(dir, name))) };
    } catch (e) {
      throw new NexusError('INPUT_INVALID', `${name}: unreadable or not UTF-8`, { field: name, cause: e });
    }
  };
  const schemas = names.filter((n) => n.endsWith('.cedarschema'));
  const policies = names.filter((n) => n.endsWith('.cedar')).map(read);
  if (schemas.length !== 1 || schemas[0] === undefined) throw invalid(`${dir}: expected exactly one *.cedarschema, found ${schemas.length}`, dir);
  if (policies.length === 0) throw invalid(`${dir}: no *.cedar policy files`, dir);
  return { schema: read(schemas[0]), policies };
}

/**
 * Splits every file into its policies and keys each by its `@id` annotation, so Cedar's
 * determining-policy ids are the names written in the files. Refuses a file that does not
 * parse, a policy without an `@id`, a duplicate `@id` and templates (none are used).
 */
export function identifyPolicies(files: readonly SourceFile[]): IdentifiedPolicies {
  const byId: Record<string, string> = {};
  const fileOf = new Map<string, string>();
  for (const f of [...files].sort(byName)) {
    const parsed = checkParsePolicySet({ staticPolicies: f.text });
    if (parsed.type === 'failure') throw invalid(`${f.name}: ${parsed.errors.map((e) => e.message).join('; ')}`, f.name);
    const parts = policySetTextToParts(f.text);
    if (parts.type === 'failure') throw invalid(`${f.name}: ${parts.errors.map((e) => e.message).join('; ')}`, f.name);
    if (parts.policy_templates.length > 0) throw invalid(`${f.name}: templates are not supported`, f.name);
    for (const text of parts.policies) {
      const json = policyToJson(text);
      const id = json.type === 'success' ? json.json.annotations?.['id'] : undefined;
      if (id === undefined || id === '') throw invalid(`${f.name}: a policy has no @id("...") annotation`, f.name);
      const other = fileOf.get(id);
      if (other !== undefined) throw invalid(`${f.name}: @id("${id}") is already used in ${other}`, f.name);
      byId[id] = text;
      fileOf.set(id, f.name);
    }
  }
  return { byId, fileOf };
}

/**
 * SHA-256 (hex) over the canonical JSON (RFC 8785) of every file's name and exact text,
 * sorted by name, schema first: one number that names the rules in force.
 */
export function policyDigest(sources: PolicySources): string {
  const files = [...sources.policies].sort(byName).map((f) => ({ name: f.name, text: f.text }));
  return toHex(sha256(canonicalBytes({ format: 'nexus-cos/cedar-policy-set@v1', schema: { name: sources.schema.name, text: sources.schema.text }, policies: files })));
}
