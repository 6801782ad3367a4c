// The exit end to end against real knotd: an IMVU with a bound, signed zone is exported to
// a file, and the bundle is verified by the SDK's own command inside a fresh network
// namespace whose only interface (loopback) is down, so verification provably needs no network.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { canonicalBytes } from '@nexus-cos/sdk';
import { NodeTxtResolver } from '../../../appliance/src/adapters/resolver/node-resolver.js';
import { SqliteDomainStore } from '../../../appliance/src/adapters/sqlite/domain-store.js';
import { trustedRootOf } from '../../../appliance/src/exit/sections/ledger.js';
import { platform } from '../../helpers/ledger.js';
import { repack, unpack } from '../../helpers/tar.js';
import { startKnot } from '../dns/knotd.js';
import { D, world } from './world.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../../sdk/dist/cli/imvu-verify.js', import.meta.url));
const ZONE = { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' };

const [k, parent] = [await startKnot(), await startKnot()];
t.teardown(() => Promise.all([k.stop(), parent.stop()]));
await parent.dns.createZone(D, { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });
const deps = {
  dns: k.dns, store: new SqliteDomainStore(join(mkdtempSync(join(tmpdir(), 'nx-exit-domains-')), 'domains.sqlite')),
  resolver: new NodeTxtResolver([`127.0.0.1:${parent.port}`]), zone: ZONE,
};
const w = await world(t, deps, async (name, value) => void (await parent.dns.applyChange(D, [{ name, type: 'TXT', ttl: 300, records: [`"${value}"`] }])));

const dir = mkdtempSync(join(tmpdir(), 'nx-exit-e2e-'));
const bundlePath = join(dir, 'IMVU.tar');
const rootPath = join(dir, 'trusted-root.json');
const bundle = await w.bundle();
writeFileSync(bundlePath, bundle);
writeFileSync(rootPath, canonicalBytes(trustedRootOf(w.s.ledger, platform.publicKey.id)));

const ns = `nx-exit-${process.pid}`;
await run('ip', ['netns', 'add', ns]);
t.teardown(() => run('ip', ['netns', 'del', ns]).then(() => undefined));

/** Runs the SDK's imvu-verify inside the namespace; resolves with its exit code and output. */
async function verifyOffline(file: string): Promise<{ code: number; out: string }> {
  return run('ip', ['netns', 'exec', ns, process.execPath, CLI, 'bundle', file, '--trusted-root', rootPath, '--json'])
    .then((r) => ({ code: 0, out: r.stdout }), (e: { code?: number; stdout?: string }) => ({ code: e.code ?? -1, out: e.stdout ?? '' }));
}

t.test('the namespace has no network: loopback only, and down', async (t) => {
  const links = (await run('ip', ['netns', 'exec', ns, 'ip', '-o', 'link'])).stdout.trim().split('\n');
  t.equal(links.length, 1, 'one interface');
  t.match(links[0], /^1: lo: <LOOPBACK>/, 'loopback, not UP');
});

t.test('the exported zone is what knotd serves, and the bundle verifies offline', async (t) => {
  const zone = (await unpack(bundle)).find((m) => m.name === `dns/${D}/zone.txt`)?.bytes.toString() ?? '';
  for (const a of await k.dig(`www.${D}`, 'A')) t.match(zone, new RegExp(`www\\.${D.replace('.', '\\.')}\\.\\s+\\d+\\s+(IN\\s+)?A\\s+${a.replace(/\./g, '\\.')}`), `zone file holds www A ${a}`);
  t.match(zone, /RRSIG/, 'the zone file carries its signatures');
  const r = await verifyOffline(bundlePath);
  t.equal(r.code, 0, `exit 0: ${r.out}`);
  const report = JSON.parse(r.out) as { valid: boolean; imvu: string; trust: string; entries: number };
  t.match(report, { valid: true, imvu: w.id, trust: 'given' });
  t.equal(report.entries, w.s.ledger.store.chain(w.id, 0, 1e9).length);
});

t.test('offline, a changed zone file is refused naming it (exit 1)', async (t) => {
  const members = await unpack(readFileSync(bundlePath));
  const tampered = members.map((m) => (m.name === `dns/${D}/zone.txt` ? { name: m.name, bytes: Buffer.from(m.bytes.toString().replace('192.0.2.10', '192.0.2.66')) } : m));
  const file = join(dir, 'tampered.tar');
  writeFileSync(file, await repack(tampered));
  const r = await verifyOffline(file);
  t.equal(r.code, 1);
  t.match(JSON.parse(r.out), { valid: false, code: 'BUNDLE_DIGEST_MISMATCH', field: `dns/${D}/zone.txt` });
});
