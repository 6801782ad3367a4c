import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImvuVerify } from '../../sdk/src/cli/verify-command.js';

/** Runs imvu-verify in process against files in `dir`, with optional in-memory overrides. */
export function verifyCli(dir: string, args: readonly string[], overrides: Record<string, Uint8Array> = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runImvuVerify(args, {
    readFile: (p) => overrides[p] ?? new Uint8Array(readFileSync(join(dir, p))),
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}
