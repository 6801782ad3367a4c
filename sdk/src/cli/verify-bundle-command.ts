import { parseArgs } from 'node:util';
import { fail, isNexusError } from '../errors/index.js';
import { verifyExitBundle } from '../exit/verify-bundle.js';
import { parseCanonicalJsonArtifact } from '../verify/artifact.js';
import { loadTrustedRoot } from '../verify/trusted-root.js';

/** What `imvu-verify bundle` may touch: one file streamed, one read whole, two output streams. */
export interface BundleVerifyIo {
  stream(path: string): AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  readFile(path: string): Uint8Array;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const BUNDLE_USAGE = `usage: imvu-verify bundle <bundle.tar[.gz]> [--trusted-root FILE] [--json]

Verifies an exit bundle offline (spec/exit-bundle.md). Without --trusted-root it checks the
bundle against its own trusted-root.json and says so: that proves consistency, not origin.
exit: 0 valid, 1 invalid (with a coded reason naming the file), 2 usage error, 3 internal error`;

/** Runs `imvu-verify bundle ...`; resolves with the exit code. */
export async function runBundleVerify(argv: readonly string[], io: BundleVerifyIo): Promise<number> {
  let json = false;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { 'trusted-root': { type: 'string' }, trust: { type: 'string' }, json: { type: 'boolean' } } });
    } catch (cause) {
      throw fail('USAGE', cause instanceof Error ? cause.message : 'bad arguments', undefined, cause);
    }
    const { values, positionals } = parsed;
    json = values.json === true;
    const [file, ...rest] = positionals;
    if (file === undefined || rest.length > 0) throw fail('USAGE', 'expected one bundle file');
    const rootPath = values['trusted-root'] ?? values.trust;
    let rootBytes: Uint8Array | undefined;
    try {
      rootBytes = rootPath === undefined ? undefined : io.readFile(rootPath);
    } catch (cause) {
      throw fail('USAGE', `cannot read ${rootPath ?? ''}`, '--trusted-root', cause);
    }
    const root = rootBytes === undefined ? undefined : loadTrustedRoot(parseCanonicalJsonArtifact(rootBytes, '--trusted-root'));
    let source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
    try {
      source = io.stream(file);
    } catch (cause) {
      throw fail('USAGE', `cannot read ${file}`, file, cause);
    }
    const v = await verifyExitBundle(source, root);
    io.stdout(json ? `${JSON.stringify({ valid: true, kind: 'bundle', ...v })}\n`
      : `OK bundle: imvu=${v.imvu} files=${v.files} bytes=${v.bytes} entries=${v.entries} head=${v.head} checkpointSize=${v.checkpointSize} trust=${v.trust}\n`);
    return 0;
  } catch (e) {
    if (!isNexusError(e)) {
      io.stderr(`INTERNAL ERROR (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return 3;
    }
    const out = json ? `${JSON.stringify({ valid: false, kind: 'bundle', ...e.toJSON() })}\n` : `INVALID ${e.code}${e.field === undefined ? '' : ` at ${e.field}`}: ${e.message}\n`;
    (e.code === 'USAGE' ? io.stderr : io.stdout)(out);
    if (e.code === 'USAGE' && !json) io.stderr(`${BUNDLE_USAGE}\n`);
    return e.code === 'USAGE' ? 2 : 1;
  }
}
