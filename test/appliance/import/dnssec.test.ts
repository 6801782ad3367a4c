// Import of a signed zone with its own DNSSEC keys, against real knotd: appliance A's bundle
// seals the zone's keys to the owner; `nexus-cos import` opens them, and B's knotd signs the
// zone with them, so the DS A's parent holds still validates. B's DNSKEY is read over the
// network and its DS recomputed here (RFC 4034), independently of knot, and kzonecheck checks
// B's signed zone. Without the keys, or with keys that are not the published ones, nothing
// stays on B: no zone, no key in knot's key store, no IMVU.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { NexusClient, fromUtf8, type ImportReport } from '@nexus-cos/sdk';
import { SqliteDomainStore } from '../../../appliance/src/adapters/sqlite/domain-store.js';
import { NodeTxtResolver } from '../../../appliance/src/adapters/resolver/node-resolver.js';
import { listedKeys } from '../../../appliance/src/adapters/knot/key-import.js';
import { dnssecKeysPath, dnssecKeysSection } from '../../../appliance/src/exit/sections/dnssec-keys.js';
import type { DnsDeps } from '../../../appliance/src/services/index.js';
import { unpack } from '../../helpers/tar.js';
import { startKnot, type PrivateKnot } from '../dns/knotd.js';
import { D, alice, world } from '../exit/world.js';
import { register, send, stack } from '../http/harness.js';
import { bundleOf, manifestDigest } from './bundle-of.js';
import { importViaCli, listenUrl } from './cli.js';

const run = promisify(execFile);
const ZONE = { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' };
const aliceSeed = new Uint8Array(32).fill(11);

const [kA, kB, parent] = [await startKnot(), await startKnot(), await startKnot()];
t.teardown(() => Promise.all([kA.stop(), kB.stop(), parent.stop()]));
await parent.dns.createZone(D, { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });
const resolver = new NodeTxtResolver([`127.0.0.1:${parent.port}`]);
const depsOf = (k: PrivateKnot, name: string): DnsDeps => ({
  dns: k.dns, store: new SqliteDomainStore(join(mkdtempSync(join(tmpdir(), `nx-dnssec-${name}-`)), 'domains.sqlite')), resolver, zone: ZONE,
});
const publish = async (name: string, value: string) => void (await parent.dns.applyChange(D, [{ name, type: 'TXT', ttl: 300, records: [`"${value}"`] }]));

// Appliance A: the exit world's signed zone; its bundle seals the zone's keys to alice.
const depsA = depsOf(kA, 'a');
const a = await world(t, depsA, publish);
const bundle = await bundleOf(a.s, a.id, depsA, [dnssecKeysSection(kA.dns, depsA.store, a.s.registry)]);
const manifest = await manifestDigest(bundle);
const members = new Map((await unpack(bundle)).map((m) => [m.name, m.bytes]));
const published = JSON.parse(fromUtf8(members.get(`dns/${D}/dnssec.json`) ?? new Uint8Array())) as { dnskey: string[]; ds: string[] };

// Appliance B: fresh, its own knotd.
const depsB = depsOf(kB, 'b');
const b = await stack({ dns: depsB });
t.teardown(() => b.close());
await register(b.app, alice);
const keymgrB = { runner: kB.runner, keymgr: 'keymgr', confdb: join(kB.dir, 'knot', 'confdb'), scratchDir: join(kB.dir, 'export') };

/** Asserts B holds nothing of the import: no IMVU, zone, key in the key store or PEM left in scratch. */
async function nothingOnB(t: Test): Promise<void> {
  t.equal(b.registry.imvu(a.id), undefined, 'no IMVU record on B');
  await t.rejects(kB.dns.readZone(D), { code: 'DNS_ZONE_UNKNOWN' }, 'B serves no zone');
  t.same(await listedKeys(keymgrB, D), [], 'no key of the zone in B\u2019s key store');
  t.same(readdirSafe(join(kB.dir, 'knot', 'storage', 'keys', 'keys')).filter((x) => x.endsWith('.pem')), [], 'no key file in B\u2019s key store');
  const scratch = keymgrB.scratchDir;
  t.same(readdirSafe(scratch), [], 'no PEM left in the scratch directory');
}

const readdirSafe = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** RFC 4034 §5.1.4 DS (SHA-256) and Appendix B key tag of a DNSKEY in presentation form. */
function dsOf(zone: string, dnskey: string): string {
  const [flags, proto, alg, ...key] = dnskey.split(/\s+/);
  const rdata = Buffer.concat([Buffer.from([Number(flags) >> 8, Number(flags) & 0xff, Number(proto), Number(alg)]), Buffer.from(key.join(''), 'base64')]);
  const owner = Buffer.concat([...zone.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l.toLowerCase())])), Buffer.from([0])]);
  let ac = 0;
  rdata.forEach((x, i) => (ac += i & 1 ? x : x << 8));
  const tag = (ac + ((ac >> 16) & 0xffff)) & 0xffff;
  return `${tag} ${alg} 2 ${createHash('sha256').update(Buffer.concat([owner, rdata])).digest('hex')}`;
}

t.test('the bundle carries the zone\u2019s keys sealed, and its published DS names its KSK', async (t) => {
  t.ok(members.has(dnssecKeysPath(D)), 'the sealed keys member');
  t.notMatch(Buffer.from(members.get(dnssecKeysPath(D)) ?? []).toString('latin1'), /PRIVATE KEY/, 'no key in clear');
  t.ok(published.dnskey.length > 0 && published.ds.length > 0, 'dnssec.json has the KSK\u2019s DNSKEY and DS');
  t.ok(published.ds.map((d) => d.toLowerCase()).includes(dsOf(D, published.dnskey[0] as string)), 'our independent DS computation agrees with knot\u2019s for A');
});

t.test('without the owner\u2019s opened keys the import is refused naming the sealed member: new keys would break the DS', async (t) => {
  const r = await send(b.app, alice, 'POST', `/v1/imports?manifest=${manifest}`, undefined, { raw: bundle, contentType: 'application/x-tar' });
  t.match(r.json(), { code: 'INPUT_INVALID', field: dnssecKeysPath(D) });
  await nothingOnB(t);
});

t.test('keys that are not the ones the zone published: DNS_DRIFT after signing, and the zone and keys are removed', async (t) => {
  // Valid keys of the same name, from another server: they import and sign, but not under A's DS.
  const foreign = await parent.dns.dnssecKeys(D);
  const client = new NexusClient({ baseUrl: await listenUrl(b.app), signer: alice, retries: 0 });
  t.teardown(() => client.close());
  await t.rejects(client.importBundle(bundle, manifest, { v: 1, dkim: [], credentials: [], dnssec: [{ zone: D, keys: foreign.map((k) => ({ ...k, timers: { ...k.timers } })) }] }), { code: 'DNS_DRIFT' });
  await nothingOnB(t);
});

t.test('nexus-cos import opens the sealed keys; B serves A\u2019s DNSKEY, so A\u2019s DS validates, and the signed zone checks', async (t) => {
  const c = await stack({ dns: depsB });
  t.teardown(() => c.close());
  await register(c.app, alice);
  const dir = mkdtempSync(join(tmpdir(), 'nx-dnssec-cli-'));
  const files = { bundle: join(dir, 'IMVU.tar'), key: join(dir, 'owner.key'), zone: join(dir, `${D}.zone`) };
  writeFileSync(files.bundle, bundle);
  writeFileSync(files.key, `${Buffer.from(aliceSeed).toString('base64')}\n`, { mode: 0o600 });
  const { code, out, err } = await importViaCli(c.app, files.bundle, files.key);
  t.equal(code, 0, `exit 0 ${err}`);
  const report = JSON.parse(out) as ImportReport;
  t.same(report.dnssec, [{ zone: D, keys: 'kept', ds: [...published.ds].sort() }], 'the report says the keys were kept, under the same DS');

  // Over the network: B's DNSKEY RRset holds A's KSK, and the DS computed from it is A's.
  const served = (await kB.dig(D, 'DNSKEY')).map((k) => k.replace(/\s+/g, ' '));
  const ksk = served.filter((k) => k.startsWith('257 '));
  t.same(ksk, published.dnskey.map((k) => k.replace(/\s+/g, ' ')), 'B serves A\u2019s KSK');
  t.same(ksk.map((k) => dsOf(D, k)), published.ds.filter((d) => d.split(' ')[2] === '2').map((d) => d.toLowerCase()), 'the DS at A\u2019s parent matches B\u2019s served key');
  t.same(await kB.dig(D, 'DNSKEY'), await kA.dig(D, 'DNSKEY'), 'B serves the same DNSKEY RRset as A (KSK and ZSK)');

  // kzonecheck validates B's signed zone, signatures included.
  writeFileSync(files.zone, await kB.dns.exportZone(D));
  const check = await run('kzonecheck', ['-o', D, '-d', 'on', files.zone]).then(() => 0, (e: { code?: number }) => e.code ?? 1);
  t.equal(check, 0, 'kzonecheck -d on passes on B\u2019s zone');

  // Knot's key store holds exactly A's keys, each 0600, and no plaintext PEM is left in scratch.
  const store = join(kB.dir, 'knot', 'storage', 'keys', 'keys');
  const ids = (await listedKeys(keymgrB, D)).map((k) => k.id).sort();
  t.same(readdirSync(store).filter((x) => x.endsWith('.pem')).sort(), ids.map((id) => `${id}.pem`), 'the key store holds the zone\u2019s keys and no other (the refused imports left none)');
  for (const id of ids) t.equal(statSync(join(store, `${id}.pem`)).mode & 0o777, 0o600, `${id}.pem is 0600`);
  t.same(readdirSafe(keymgrB.scratchDir).filter((x) => x.startsWith('keys-')), [], 'no PEM left in scratch');
});
