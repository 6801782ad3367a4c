import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The appliance package's root directory, found by walking up from this module: the same
 * answer from `src/` under tsx and from the bundled `dist/cli/`, whose depths differ.
 */
export function applianceRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@nexus-cos/appliance') return dir;
    if (dirname(dir) === dir) throw new Error(`@nexus-cos/appliance: package.json not found above ${from}`);
  }
}

/** The Cedar policies shipped with the appliance. */
export const policiesDir = (): string => join(applianceRoot(), 'policies');
