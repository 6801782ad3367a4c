// Exit bundles built from a real stack (fake DNS behind its port; the real knotd run is
// e2e.test.ts) and verified with the SDK alone; then every tamper the spec names.
import t, { type Test } from 'tap';
import { bothPaths } from './both-paths.js';
import { gzipSync } from 'node:zlib';
import { TRUSTED_ROOT_MEDIA_TYPE, loadTrustedRoot, verifyExitBundle, type ErrorCode } from '@nexus-cos/sdk';
import { fakeDnsDeps } from '../../helpers/fake-dns.js';
import { ORIGIN, platform, trustedRoot } from '../../helpers/ledger.js';
import { manifestOf, repack, resign, unpack, type Raw } from '../../helpers/tar.js';
import { key } from '../http/harness.js';
import { RRSETS, world } from './world.js';

const deps = fakeDnsDeps();
const w = await world(t, deps, async (name, value) => void deps.resolver.records.set(name, [[value]]));
const bundle = await w.bundle();
const members = await unpack(bundle);
const verify = (b: Buffer, root = trustedRoot) => verifyExitBundle([b], root);

async function refused(t: Test, b: Buffer, code: ErrorCode, field: RegExp, msg: string, root = trustedRoot): Promise<void> {
  const [one, onWorkers] = await bothPaths(b, root);
  t.same(onWorkers, one, `${msg}: the same on worker threads`);
  const r = one as { code?: string; field?: string };
  t.equal(r.code, code, `${msg}: ${code}`);
  t.match(r?.field ?? '', field, `${msg}: names ${String(field)}`);
}

t.test('a bundle from a real stack verifies offline, against the given root and against its own', async (t) => {
  const v = await verify(bundle);
  t.equal(v.imvu, w.id);
  t.equal(v.trust, 'given');
  const chain = w.s.ledger.store.chain(w.id, 0, 1e9);
  t.equal(v.entries, chain.length, 'every entry of the chain is in the bundle');
  t.equal(v.head, w.s.ledger.chains.head(w.id)?.hash, 'up to the current head');
  t.equal((await verifyExitBundle([bundle])).trust, 'bundled', 'without a root, the report says it used the bundled one');
  t.equal((await verifyExitBundle([gzipSync(bundle)], trustedRoot)).imvu, w.id, 'gzip-compressed, it verifies too');
  const names = members.map((m) => m.name);
  t.equal(names.at(-1), 'manifest.json', 'the manifest is last');
  for (const p of ['trusted-root.json', 'imvu/record.json', 'dns/example.org/zone.txt', 'dns/example.org/dnssec.json', 'dns/example.org/state.json',
    'policies/actions.json', 'policies/cedar/schema.cedarschema', 'ledger/chain.jsonl', 'ledger/head-proof.json', 'ledger/inclusion.jsonl', 'ledger/consistency.jsonl']) {
    t.ok(names.includes(p), `holds ${p}`);
  }
  const docs = names.filter((n) => n.startsWith('ledger/documents/'));
  t.ok(docs.length >= 4, `zone states and the transfer authorization travel as documents (${docs.length})`);
  const state = JSON.parse(members.find((m) => m.name === 'dns/example.org/state.json')?.bytes.toString() ?? '{}') as { rrsets: { name: string; type: string }[] };
  for (const r of RRSETS) t.ok(state.rrsets.some((x) => x.name === r.name && x.type === r.type), `zone state holds ${r.name} ${r.type}`);
  const consistency = members.find((m) => m.name === 'ledger/consistency.jsonl')?.bytes.toString().trim().split('\n') ?? [];
  t.equal(consistency.length, 1, 'one earlier checkpoint covers part of the chain, so one consistency proof');
  t.equal(manifestOf(members).anchor.imvuHead.head, v.head, 'the manifest is anchored at the verified head');
});

t.test('a flipped byte in any file fails verification naming that file', async (t) => {
  for (const [i, m] of members.entries()) {
    const bytes = Buffer.from(m.bytes);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    const copy: Raw[] = members.map((x, j) => (j === i ? { name: x.name, bytes } : x));
    const [one, onWorkers] = await bothPaths(await repack(copy), trustedRoot);
    t.same(onWorkers, one, `${m.name}: the same on worker threads`);
    const r = 'code' in one ? one : undefined;
    t.ok(r !== undefined, `${m.name}: refused`);
    t.ok(r?.field === m.name || r?.field?.startsWith(`${m.name}#`) === true, `${m.name}: named (${r?.code} at ${r?.field})`);
  }
});

t.test('one ledger entry removed: a completeness failure, even under a re-signed manifest', async (t) => {
  const cut = members.map((m) => {
    if (m.name !== 'ledger/chain.jsonl' && m.name !== 'ledger/inclusion.jsonl') return m;
    const lines = m.bytes.toString().split('\n');
    lines.splice(2, 1);
    return { name: m.name, bytes: Buffer.from(lines.join('\n')) };
  });
  const stranger = key(77);
  await refused(t, await repack(resign(cut, stranger)), 'SLICE_INCOMPLETE', /^ledger\/chain\.jsonl#\/entries/, 'manifest re-signed by an untrusted key');
  await refused(t, await repack(resign(cut, platform)), 'SLICE_INCOMPLETE', /^ledger\/chain\.jsonl#/, 'manifest re-signed even by the platform key');
  await refused(t, await repack(resign(members, stranger)), 'SIGNATURE_UNTRUSTED', /^manifest\.json#/, 'an intact bundle whose manifest a stranger signed');
});

t.test('a checkpoint signed by an unknown key is refused', async (t) => {
  const other = loadTrustedRoot({ mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin: ORIGIN, keys: [{ name: ORIGIN, publicKey: key(78).publicKey.id }] });
  const r = await verify(bundle, other).then(() => undefined, (e: { code?: string; field?: string }) => e);
  t.match(r?.code, /^(NOTE_UNSIGNED|SIGNATURE_UNTRUSTED)$/, `refused: ${r?.code}`);
  t.match(r?.field ?? '', /^ledger\/head-proof\.json#/, 'at the checkpoint the head proof carries');
});

t.test('archive shapes the spec forbids are refused, naming the member', async (t) => {
  const body = members.slice(0, -1);
  const manifest = members.at(-1) as Raw;
  const extra = { name: 'notes.txt', bytes: Buffer.from('hi') };
  const cases: [string, Raw[], ErrorCode, RegExp][] = [
    ['path traversal', [...body, { name: '../evil', bytes: Buffer.from('x') }, manifest], 'BUNDLE_ENTRY_INVALID', /^\.\.\/evil$/],
    ['dot segment inside', [{ name: 'dns/../../evil', bytes: Buffer.from('x') }, ...body, manifest], 'BUNDLE_ENTRY_INVALID', /evil/],
    ['absolute path', [{ name: '/etc/passwd', bytes: Buffer.from('x') }, ...body, manifest], 'BUNDLE_ENTRY_INVALID', /etc\/passwd/],
    ['symbolic link', [{ name: 'link', bytes: Buffer.alloc(0), type: 'symlink', linkname: '/etc/passwd' }, ...body, manifest], 'BUNDLE_ENTRY_INVALID', /^link$/],
    ['hard link', [{ name: 'hard', bytes: Buffer.alloc(0), type: 'link', linkname: 'ledger/chain.jsonl' }, ...body, manifest], 'BUNDLE_ENTRY_INVALID', /^hard$/],
    ['directory', [{ name: 'dns', bytes: Buffer.alloc(0), type: 'directory' }, ...body, manifest], 'BUNDLE_ENTRY_INVALID', /^dns/],
    ['duplicate', [...body.slice(0, 2), body[1] as Raw, ...body.slice(2), manifest], 'BUNDLE_ENTRY_DUPLICATE', new RegExp(`^${(body[1] as Raw).name}$`)],
    ['member after the manifest', [...body, manifest, extra], 'BUNDLE_ENTRY_INVALID', /^notes\.txt$/],
    ['unlisted member', [...body, extra, manifest], 'BUNDLE_FILE_UNLISTED', /^notes\.txt$/],
    ['missing member', [...body.slice(1), manifest], 'BUNDLE_FILE_MISSING', new RegExp(`^${(body[0] as Raw).name}$`)],
    ['no manifest', [...body], 'BUNDLE_FILE_MISSING', /^manifest\.json$/],
    ['size disagrees', [...body.slice(0, -1), { name: (body.at(-1) as Raw).name, bytes: Buffer.concat([(body.at(-1) as Raw).bytes, Buffer.from('\n')]) }, manifest], 'BUNDLE_SIZE_MISMATCH', new RegExp(`^${(body.at(-1) as Raw).name}$`)],
  ];
  for (const [what, list, code, field] of cases) await refused(t, await repack(list), code, field, what);
  await refused(t, bundle.subarray(0, bundle.length - 3000), 'BUNDLE_ARCHIVE_INVALID', /^$/, 'truncated archive');
  await refused(t, Buffer.from('this is not a tar archive at all'.repeat(40)), 'BUNDLE_ARCHIVE_INVALID', /^$/, 'garbage');
});
