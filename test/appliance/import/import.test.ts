// Import against real knotd: appliance A (its own knotd) hosts an IMVU with two signed zones;
// its exit bundle is imported into appliance B (its own data dir, knotd and ports). B must
// answer kdig the same for every RRset, refuse tampered or unauthorized bundles before
// anything exists, and leave nothing behind when a step fails midway.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bytesSource, canonicalBytes, isNexusError, loadTrustedRoot, parseCanonicalJsonArtifact, verifyExitBundle, type DomainChallenge, type LedgerEntryOf } from '@nexus-cos/sdk';
import { NodeTxtResolver } from '../../../appliance/src/adapters/resolver/node-resolver.js';
import { SqliteDomainStore } from '../../../appliance/src/adapters/sqlite/domain-store.js';
import { trustedRootOf } from '../../../appliance/src/exit/sections/ledger.js';
import type { DnsDeps } from '../../../appliance/src/services/index.js';
import { platform } from '../../helpers/ledger.js';
import { repack, unpack } from '../../helpers/tar.js';
import { startKnot, type PrivateKnot } from '../dns/knotd.js';
import { D, RRSETS, alice, world } from '../exit/world.js';
import { entries, key, register, send, stack, type Stack } from '../http/harness.js';
import { bundleOf, manifestDigest } from './bundle-of.js';
import { importViaCli } from './cli.js';

const run = promisify(execFile);
const VERIFY_CLI = fileURLToPath(new URL('../../../sdk/dist/cli/imvu-verify.js', import.meta.url));
const D2 = 'example.net';
const D2_RRSETS = [{ name: `api.${D2}`, type: 'AAAA', ttl: 600, records: ['2001:db8::7'] }];
const ZONE = { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' };
const mallory = key(12);

const [kA, kB, parent] = [await startKnot(), await startKnot(), await startKnot()];
t.teardown(() => Promise.all([kA.stop(), kB.stop(), parent.stop()]));
for (const z of [D, D2]) await parent.dns.createZone(z, { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });
const resolver = new NodeTxtResolver([`127.0.0.1:${parent.port}`]);
const depsOf = (k: PrivateKnot, name: string): DnsDeps => ({
  dns: k.dns, store: new SqliteDomainStore(join(mkdtempSync(join(tmpdir(), `nx-import-${name}-`)), 'domains.sqlite')), resolver, zone: ZONE,
});
const publish = async (name: string, value: string) => void (await parent.dns.applyChange(name.split('.').slice(-2).join('.'), [{ name, type: 'TXT', ttl: 300, records: [`"${value}"`] }]));

// Appliance A: the exit world's zone, plus a second zone so an import has a step to undo.
const depsA = depsOf(kA, 'a');
const a = await world(t, depsA, publish);
const base = `/v1/imvus/${a.id}/domains`;
const challenge = (await send(a.s.app, alice, 'POST', base, { domain: D2 })).json() as DomainChallenge;
await publish(challenge.record.name, challenge.record.value);
for (const [m, p, b] of [['POST', `${base}/${D2}/verify`, undefined], ['PATCH', `${base}/${D2}/rrsets`, { rrsets: D2_RRSETS }]] as const) {
  const r = await send(a.s.app, alice, m, p, b);
  if (r.statusCode >= 300) throw new Error(`setup failed: ${r.body}`);
}
const bundle = await bundleOf(a.s, a.id, depsA);
const manifest = await manifestDigest(bundle);

// Appliance B: fresh, its own data dir and knotd; the owner (and a stranger) register there.
const depsB = depsOf(kB, 'b');
const b: Stack = await stack({ dns: depsB });
t.teardown(() => b.close());
await register(b.app, alice);
await register(b.app, mallory);

const importAs = (signer: typeof alice, bytes: Uint8Array, digest = manifest) =>
  send(b.app, signer, 'POST', `/v1/imports?manifest=${digest}`, undefined, { raw: bytes, contentType: 'application/x-tar' });

/** Whether B's knotd serves `zone` at all. */
async function served(zone: string): Promise<boolean> {
  return depsB.dns.readZone(zone).then(() => true, (e: unknown) => {
    if (isNexusError(e) && e.code === 'DNS_ZONE_UNKNOWN') return false;
    throw e;
  });
}

/** Asserts B holds nothing of the IMVU: no record, no binding, no zone, no chain. */
async function nothingOnB(t: Test): Promise<void> {
  t.equal(b.registry.imvu(a.id), undefined, 'no IMVU record on B');
  t.same(depsB.store.domainsOf(a.id), [], 'no domain bound on B');
  t.notOk(await served(D2), `${D2} is not served by B`);
  t.equal(b.ledger.chains.head(a.id), undefined, 'B has no chain for the IMVU');
}

t.test('a tampered bundle is refused before anything is created, naming the file', async (t) => {
  const members = await unpack(bundle);
  const bad = await repack(members.map((m) => (m.name === `dns/${D2}/state.json` ? { name: m.name, bytes: Buffer.from(m.bytes.toString().replace('2001:db8::7', '2001:db8::6')) } : m)));
  const before = b.ledger.tree.size;
  const r = await importAs(alice, bad);
  t.equal(r.statusCode, 422, 'refused as unprocessable');
  t.match(r.json(), { code: 'BUNDLE_DIGEST_MISMATCH', field: `dns/${D2}/state.json` });
  await b.ledger.flush();
  t.equal(b.ledger.tree.size, before, 'not even a decision was logged');
  await nothingOnB(t);
});

t.test('an import not signed by the bundle\u2019s owner is refused by gate 2, and logged', async (t) => {
  const before = b.ledger.tree.size;
  const r = await importAs(mallory, bundle);
  t.equal(r.statusCode, 403, 'forbidden');
  t.match(r.json(), { code: 'GATE_RESOURCE_BINDING', field: '/gates/2' });
  await b.ledger.flush();
  const log = entries(b.ledger).slice(before);
  t.same(log.map((e) => (e.kind === 'gate_decision' ? `${e.imvu}:${e.action}:${e.decision}` : e.kind)), ['null:imvu.import:deny'], 'one denial, in the platform log');
  await nothingOnB(t);
});

t.test('a bundle with a section this version cannot import is refused whole, naming the member', async (t) => {
  // Every section this version exports is imported (network: network.test.ts; DNSSEC keys:
  // dnssec.test.ts); a section from a later version, a VPN key say, is not.
  const vpn = { name: 'vpn', async *files() { yield bytesSource('secrets/vpn/wg0.key.sealed', 'application/octet-stream', canonicalBytes({ v: 1, sealed: 'x' })); } };
  const withVpn = await bundleOf(a.s, a.id, depsA, [vpn]);
  const r = await importAs(alice, withVpn, await manifestDigest(withVpn));
  t.equal(r.statusCode, 422, 'unprocessable');
  t.match(r.json(), { code: 'IMPORT_SECTION_UNSUPPORTED', field: 'secrets/vpn/wg0.key.sealed' }, 'names the member it cannot carry');
  await nothingOnB(t);
});

t.test('a request naming another manifest is refused', async (t) => {
  const r = await importAs(alice, bundle, 'ab'.repeat(32));
  t.match(r.json(), { code: 'INPUT_INVALID', field: '/manifest' }, 'refused naming /manifest');
  await nothingOnB(t);
});

t.test('a failure midway (a zone already on B) undoes the zones created before it', async (t) => {
  // Zones are imported in name order: example.net is created first, then example.org fails.
  await depsB.dns.createZone(D, ZONE);
  t.teardown(() => depsB.dns.deleteZone(D));
  const r = await importAs(alice, bundle);
  t.equal(r.statusCode, 409, 'conflict');
  t.match(r.json(), { code: 'CONFLICT' });
  await nothingOnB(t);
});

t.test('end to end: the bundle file verifies with no network, then `nexus-cos import` over HTTP serves every RRset as A did', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-import-e2e-'));
  const files = { bundle: join(dir, 'IMVU.tar'), root: join(dir, 'trusted-root.json'), key: join(dir, 'owner.key') };
  writeFileSync(files.bundle, bundle);
  writeFileSync(files.root, canonicalBytes(trustedRootOf(a.s.ledger, platform.publicKey.id)));
  writeFileSync(files.key, `${Buffer.from(new Uint8Array(32).fill(11)).toString('base64')}\n`, { mode: 0o600 });

  // imvu-verify in a fresh network namespace whose only interface (loopback) is down.
  const ns = `nx-import-${process.pid}`;
  await run('ip', ['netns', 'add', ns]);
  t.teardown(() => run('ip', ['netns', 'del', ns]).then(() => undefined));
  t.match((await run('ip', ['netns', 'exec', ns, 'ip', '-o', 'link'])).stdout.trim(), /^1: lo: <LOOPBACK>[^\n]*$/, 'only loopback, and down');
  const offline = await run('ip', ['netns', 'exec', ns, process.execPath, VERIFY_CLI, 'bundle', files.bundle, '--trusted-root', files.root, '--json']);
  t.match(JSON.parse(offline.stdout), { valid: true, imvu: a.id, trust: 'given' }, 'verified offline');

  const { code, out, err } = await importViaCli(b.app, files.bundle, files.key, ['--trusted-root', files.root]);
  t.equal(code, 0, `exit 0 ${err}`);
  const report = JSON.parse(out) as { imvu: string; trust: string; zones: string[]; entries: number; policies: { differ: string[] }; link: { seq: number } };
  t.match(report, { verifiedLocally: { trust: 'given' }, imvu: a.id, trust: 'bundled', zones: [D2, D], link: { seq: 0 } });
  t.same(report.policies.differ, [], 'same policies on both appliances');
  for (const rr of [...RRSETS, ...D2_RRSETS]) {
    const want = await kA.dig(rr.name, rr.type);
    t.ok(want.length > 0, `A answers ${rr.name} ${rr.type}`);
    t.same(await kB.dig(rr.name, rr.type), want, `B answers ${rr.name} ${rr.type} the same`);
  }
  for (const zone of [D, D2]) {
    // Secondaries of A's zone transfer B's only if its serial is newer (RFC 1982 arithmetic).
    const serialOf = async (k: typeof kA): Promise<number> => Number((await k.dig(zone, 'SOA'))[0]?.split(' ')[2]);
    const [onA, onB] = [await serialOf(kA), await serialOf(kB)];
    const ahead = (onB - onA) >>> 0;
    t.ok(Number.isInteger(onA) && Number.isInteger(onB) && ahead !== 0 && ahead < 2 ** 31, `B serves ${zone} with serial ${onB}, newer than A's ${onA}`);
  }
  t.same(b.registry.imvu(a.id), { ...a.s.registry.imvu(a.id), storagePool: 'pool-de' }, 'same record');
  t.same(b.registry.consents(a.id), a.s.registry.consents(a.id), 'same consents');

  await b.ledger.flush();
  const link = entries(b.ledger).find((e) => e.imvu === a.id && e.seq === '0') as LedgerEntryOf<'import'> | undefined;
  const members = new Map((await unpack(bundle)).map((m) => [m.name, m.bytes]));
  const proof = JSON.parse(members.get('ledger/head-proof.json')?.toString() ?? '{}') as { seq: string; head: string };
  t.match(link, { kind: 'import', actor: platform.publicKey.id, headSeq: proof.seq, head: proof.head, manifest }, 'the link names the anchored head and the manifest');
  t.equal(report.entries, Number(proof.seq) + 1, 'every entry up to the anchored head was verified');

  // The imported chain is kept as evidence, readable by the owner through the API.
  const ev = await send(b.app, alice, 'GET', `/v1/imvus/${a.id}/evidence/${link?.chain ?? ''}`);
  t.equal(ev.statusCode, 200, 'the owner reads the evidence');
  t.ok(Buffer.from(ev.rawPayload).equals(members.get('ledger/chain.jsonl') ?? Buffer.alloc(1)), 'evidence is the imported chain, byte for byte');
  const denied = await send(b.app, mallory, 'GET', `/v1/imvus/${a.id}/evidence/${link?.chain ?? ''}`);
  t.equal(denied.statusCode, 403, 'a stranger may not read it');

  // B's own exit of the imported IMVU verifies against B's trusted root: the new chain is sound.
  const again = await bundleOf(b, a.id, depsB);
  const v = await verifyExitBundle([again], loadTrustedRoot(parseCanonicalJsonArtifact(canonicalBytes(trustedRootOf(b.ledger, platform.publicKey.id)))));
  t.equal(v.imvu, a.id, 'B\u2019s exit of the imported IMVU verifies');

  const twice = await importAs(alice, bundle);
  t.match(twice.json(), { code: 'GATE_RESOURCE_BINDING' }, 'the same IMVU cannot be imported twice');
});
