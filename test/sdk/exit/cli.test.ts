// imvu-verify bundle: exit codes for usage errors (2) and bad archives (1), in process.
import t from 'tap';
import { runBundleVerify, type BundleVerifyIo } from '../../../sdk/src/cli/verify-bundle-command.js';

function io(files: Record<string, Uint8Array>): BundleVerifyIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const get = (p: string): Uint8Array => {
    const f = files[p];
    if (f === undefined) throw new Error(`ENOENT ${p}`);
    return f;
  };
  return { out, err, readFile: get, stream: (p) => [get(p)], stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) };
}

t.test('usage errors exit 2, a bad archive exits 1 with a code', async (t) => {
  const x = io({ 'junk.tar': new TextEncoder().encode('junk'.repeat(200)) });
  t.equal(await runBundleVerify([], x), 2, 'no file');
  t.equal(await runBundleVerify(['a', 'b'], x), 2, 'two files');
  t.equal(await runBundleVerify(['missing.tar'], x), 2, 'unreadable bundle');
  t.equal(await runBundleVerify(['junk.tar', '--trusted-root', 'none.json'], x), 2, 'unreadable trusted root');
  t.equal(await runBundleVerify(['junk.tar', '--bogus'], x), 2, 'unknown option');
  t.equal(await runBundleVerify(['junk.tar', '--json'], x), 1, 'garbage is invalid');
  t.match(JSON.parse(x.out.at(-1) ?? '{}'), { valid: false, code: 'BUNDLE_ARCHIVE_INVALID' });
});
