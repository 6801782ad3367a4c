import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../sdk/src/errors/index.js';
import { ARTIFACT_COMMANDS } from '../../scripts/vectors/artifacts.js';
import { verifyCli } from '../helpers/verify-cli.js';

const DIR = fileURLToPath(new URL('../../spec/vectors/artifacts/', import.meta.url));
const BIN = fileURLToPath(new URL('../../sdk/dist/cli/imvu-verify.js', import.meta.url));
const trust = ['--trust', 'trusted-root.json'];

t.test('every artifact verifies (exit 0), with a JSON report', async (t) => {
  for (const [file, args] of Object.entries(ARTIFACT_COMMANDS)) {
    const r = verifyCli(DIR, [...args, ...trust, '--json']);
    t.equal(r.code, 0, `${file}: exit 0 (${r.out.trim()})`);
    t.equal((JSON.parse(r.out) as { valid: boolean }).valid, true, `${file}: valid in the report`);
  }
  t.same(Object.keys(ARTIFACT_COMMANDS).sort(), readdirSync(DIR).sort(), 'every artifact file is exercised');
});

t.test('any one-byte change to any artifact makes imvu-verify exit 1 with a coded reason', async (t) => {
  let runs = 0;
  for (const [file, args] of Object.entries(ARTIFACT_COMMANDS)) {
    const bytes = new Uint8Array(readFileSync(`${DIR}${file}`));
    const failures: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      // Two different changes per position: a low bit flip and a replacement with a space.
      for (const change of [(b: number) => b ^ 0x01, (b: number) => (b === 0x20 ? 0x21 : 0x20)]) {
        const changed = Uint8Array.from(bytes);
        changed[i] = change(bytes[i] as number);
        const r = verifyCli(DIR, [...args, ...trust, '--json'], { [file]: changed });
        runs++;
        const report = JSON.parse(r.out) as { valid: boolean; code?: string };
        if (r.code !== 1 || report.valid !== false || !ERROR_CODES.includes(report.code as never)) {
          failures.push(`byte ${i}: exit ${r.code} ${r.out.trim()}`);
        }
      }
    }
    t.same(failures.slice(0, 5), [], `${file}: all ${bytes.length * 2} one-byte changes refused`);
  }
  t.ok(runs > 2000, `${runs} changed artifacts checked`);
});

t.test('usage errors exit 2', async (t) => {
  t.equal(verifyCli(DIR, []).code, 2, 'no arguments');
  t.equal(verifyCli(DIR, ['bogus', 'envelope.json', ...trust]).code, 2, 'unknown kind');
  t.equal(verifyCli(DIR, ['envelope', 'envelope.json']).code, 2, 'no --trust');
  t.equal(verifyCli(DIR, ['envelope', 'no-such-file', ...trust]).code, 2, 'unreadable file');
  t.equal(verifyCli(DIR, ['envelope', 'envelope.json', ...trust, '--threshold', 'x']).code, 2, 'bad threshold');
  const r = verifyCli(DIR, ['envelope', 'envelope.json', ...trust, '--payload-type', 'other/type', '--json']);
  t.equal(r.code, 1, 'wrong payload type is invalid, not usage');
  t.equal((JSON.parse(r.out) as { code: string }).code, 'ENVELOPE_PAYLOAD_TYPE');
  t.equal(verifyCli(DIR, ['envelope', 'envelope.json', ...trust, '--threshold', '2']).code, 1, 'threshold 2 with one trusted key');
});

/** Every module specifier reachable from a built entry, following the bundle's own chunks. */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const specs = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) walk(fileURLToPath(new URL(spec, `file://${file}`)));
      else specs.add(spec);
    }
  };
  walk(entry);
  return specs;
}

t.test('the built verifier is offline: no network module in its graph, same verdict with no network', async (t) => {
  const graph = importGraph(BIN);
  t.ok(graph.has('@noble/curves/ed25519.js'), 'the graph walk sees the real imports');
  for (const banned of ['undici', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'http2', 'dgram', 'node:dgram', 'dns', 'node:dns', 'tls', 'node:tls']) {
    t.notOk(graph.has(banned), `imvu-verify never imports ${banned}`);
  }
  const verifyGraph = importGraph(fileURLToPath(new URL('../../sdk/dist/verify/index.js', import.meta.url)));
  t.notOk([...verifyGraph].some((s) => /^(node:)?(net|http|https|http2|dgram|dns|tls|fs)$|^undici$/.test(s)), '@nexus-cos/sdk/verify imports neither network nor filesystem');
  // A fresh network namespace has no interface up: any socket would fail. Same verdict.
  const args = ['inclusion', `${DIR}inclusion.json`, '--trust', `${DIR}trusted-root.json`, '--leaf', `${DIR}leaf-17.bin`];
  const r = spawnSync('unshare', ['--net', process.execPath, BIN, ...args], { encoding: 'utf8' });
  t.equal(r.status, 0, `exit 0 inside unshare --net: ${r.stdout}${r.stderr}`);
  t.match(r.stdout, /^OK inclusion: /);
});
