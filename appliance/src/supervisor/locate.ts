import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Haraka's bin/haraka from node_modules, or undefined when Haraka is not installed. */
export function locateHaraka(from: string | URL = import.meta.url): string | undefined {
  try {
    const pkg = createRequire(from).resolve('Haraka/package.json');
    const bin = join(dirname(pkg), 'bin', 'haraka');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}
