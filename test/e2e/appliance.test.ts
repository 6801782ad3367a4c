// The whole product as a user meets it: `nexus-cos init`, the real `nexus-cos serve`
// process (with its knotd and Haraka), driven over HTTP by the SDK's NexusClient, and the
// IMVU's ledger slice verified offline by the built `imvu-verify`.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSigner, NexusClient, canonicalize, loadTrustedRoot, verifyLedgerSlice } from '@nexus-cos/sdk';
import { startKnot } from '../appliance/dns/knotd.js';
import { IMVU_VERIFY, NEXUS_COS, healthy, init, ports, reap, serve as serveWith, stop } from './serve.js';

const dir = mkdtempSync(join(tmpdir(), 'nx-e2e-'));
const dataDir = join(dir, 'data');
const { knotPort, flags, baseUrl } = await ports(dataDir);
const serve = () => serveWith(flags);

t.test('init, serve, drive through the SDK, verify offline, stop, restart and verify again', async (t) => {
  const made = init(dataDir, 'e2e.nexus-cos.invalid/log');
  t.equal(made.status, 0, `init exits 0 (${made.stderr})`);
  t.match(made.stdout, /platform key: did:key:z6Mk/);
  // A second knotd plays the public DNS where domain claims are checked.
  const parent = await startKnot();
  t.teardown(() => parent.stop());
  await parent.dns.createZone('example.org', { nameservers: ['ns1.registrar.test'], soaEmail: 'hostmaster@registrar.test' });
  const configFile = join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), dns: { resolvers: [`127.0.0.1:${parent.port}`], nameservers: ['ns1.e2e.test'] } }));

  const first = serve();
  t.teardown(() => reap(first));
  const anon = new NexusClient({ baseUrl, retryDelayMs: 50 });
  t.teardown(() => anon.close());
  const up = await healthy(anon);
  t.ok(up, up ? 'serve becomes healthy' : `serve did not become healthy: ${first.out().slice(-2000)}`);
  const h = await anon.health();
  t.same(Object.keys(h.components).sort(), ['haraka', 'knot', 'ledger', 'zones'], 'health reports each component');
  t.same(Object.values(h.components).map((c) => c.status), ['ok', 'ok', 'ok', 'ok'], 'all ok: the ledger, our knotd, our Haraka, the zones as recorded');

  const status = spawnSync(process.execPath, [NEXUS_COS, 'status', ...flags], { encoding: 'utf8' });
  t.equal(status.status, 0, 'nexus-cos status exits 0 on a healthy appliance');
  t.match(status.stdout, /knot\s+ok/);

  const owner = LocalSigner.generate();
  const client = new NexusClient({ baseUrl, signer: owner });
  t.teardown(() => client.close());
  const identity = await client.registerIdentity({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.equal(identity.id, owner.publicKey.id, 'identity registered');
  const imvu = await client.createImvu({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  t.equal(imvu.owner, owner.publicKey.id, `${imvu.id} created, owned by the signer`);
  const granted = await client.grantConsent(imvu.id, 'mail.processing');
  t.ok(granted.consents.some((c) => c.purpose === 'mail.processing'), 'consent recorded');

  // A domain, claimed through the public DNS, served by the appliance's own knotd.
  const challenge = await client.domains.claim(imvu.id, 'example.org');
  await parent.dns.applyChange('example.org', [{ name: challenge.record.name, type: 'TXT', ttl: 300, records: [`"${challenge.record.value}"`] }]);
  const bound = await client.domains.verify(imvu.id, 'example.org');
  t.ok(bound.dnssec.ds.length > 0, 'bound, with DS records for the registrar');
  await client.domains.changeRRsets(imvu.id, 'example.org', [{ name: 'www.example.org', type: 'A', ttl: 300, records: ['192.0.2.80'] }]);
  const dig = () => spawnSync('kdig', ['@127.0.0.1', '-p', String(knotPort), '+short', 'www.example.org', 'A'], { encoding: 'utf8' }).stdout.trim();
  t.equal(dig(), '192.0.2.80', 'the appliance\'s knotd serves the change');


  const slice = await client.getLedgerSlice(imvu.id);
  const root = await client.getTrustedRoot();
  t.equal(root.origin, 'e2e.nexus-cos.invalid/log');
  const verified = verifyLedgerSlice(slice, loadTrustedRoot(root));
  t.ok(verified.entries.length >= 2, `${verified.entries.length} entries in ${imvu.id}'s chain verify in process`);
  t.equal(verified.entries.filter((e) => e.entry.kind === 'dns_change').length, 2, 'the binding and the change are in the verified chain');
  writeFileSync(join(dir, 'slice.json'), `${canonicalize(slice)}\n`);
  writeFileSync(join(dir, 'trusted-root.json'), `${canonicalize(root)}\n`);
  const v = spawnSync(process.execPath, [IMVU_VERIFY, 'slice', join(dir, 'slice.json'), '--trust', join(dir, 'trusted-root.json'), '--json'], { encoding: 'utf8' });
  t.equal(v.status, 0, `imvu-verify slice exits 0 (${v.stdout.trim()})`);
  t.equal((JSON.parse(v.stdout) as { complete?: boolean }).complete, true, 'the slice is complete');

  await stop(t, first, 'first run');
  const seed = readFileSync(join(dataDir, 'platform.key'), 'utf8').trim();
  t.notOk(first.out().includes(seed), 'the platform key never appears in the logs');
  t.match(first.out(), /final checkpoint/, 'the ledger was flushed and closed on the way out');

  // Restart: the ledger is verified on open (gate 5) and serves the same chain.
  const second = serve();
  t.teardown(() => reap(second));
  t.ok(await healthy(anon), 'the restarted appliance verifies its ledger and is healthy');
  const again = await client.getLedgerSlice(imvu.id);
  t.same(again.entries, slice.entries, 'the same chain, entry for entry');
  t.ok(verifyLedgerSlice(again, loadTrustedRoot(await client.getTrustedRoot())), 'and it verifies against the same trusted root');
  t.same(await client.getTrustedRoot(), root, 'same platform key and origin');
  t.equal((await client.getImvu(imvu.id)).id, imvu.id, 'the registry survived the restart');
  t.equal((await client.domains.drift(imvu.id, 'example.org')).status, 'ok', 'after the restart knotd serves exactly what the ledger recorded');
  t.equal(dig(), '192.0.2.80');
  t.match((await anon.health()).components['zones'], { status: 'ok', detail: '1 zones as recorded' });

  // SIGTERM while mutations are in flight: what was accepted finishes and is acknowledged,
  // what was not is refused; nothing acknowledged is lost, nothing unacknowledged appears.
  const purposes = Array.from({ length: 40 }, (_, i) => `drain.p${i}`);
  const calls = purposes.map((p) => client.grantConsent(imvu.id, p).then(() => p, () => undefined));
  // Wait for the first grant (the queue is served in order), so the signal lands mid-load.
  await calls[0];
  await stop(t, second, 'second run, under load');
  const acked = (await Promise.all(calls)).filter((p): p is string => p !== undefined);
  t.ok(acked.length > 0, `${acked.length} of ${purposes.length} grants were acknowledged before the shutdown`);

  const third = serve();
  t.teardown(() => reap(third));
  t.ok(await healthy(anon), 'the appliance restarts after a shutdown under load and verifies its ledger');
  const present = (await client.getImvu(imvu.id)).consents.filter((c) => c.purpose.startsWith('drain.') && c.withdrawnAt === undefined).map((c) => c.purpose);
  t.same([...present].sort(), [...acked].sort(), 'exactly the acknowledged grants took effect');
  const after = verifyLedgerSlice(await client.getLedgerSlice(imvu.id), loadTrustedRoot(await client.getTrustedRoot()));
  const logged = after.entries.filter((e) => e.entry.kind === 'consent' && e.entry.purpose.startsWith('drain.')).length;
  t.equal(logged, acked.length, 'and each has its consent entry in the verified slice');
  await stop(t, third, 'third run');
});

t.test('a bad setting fails with a coded message naming the field, exit 2', async (t) => {
  const r = spawnSync(process.execPath, [NEXUS_COS, 'serve', '--data-dir', dataDir, '--http-port', 'eighty'], { encoding: 'utf8' });
  t.equal(r.status, 2);
  t.match(r.stderr, /CONFIG_INVALID \/http\/port/);
  const e = spawnSync(process.execPath, [NEXUS_COS, 'serve', '--data-dir', dataDir], { encoding: 'utf8', env: { ...process.env, NEXUS_COS_LOG_LEVEL: 'loud' } });
  t.equal(e.status, 2);
  t.match(e.stderr, /CONFIG_INVALID \/log\/level/);
  const u = spawnSync(process.execPath, [NEXUS_COS, 'serve', '--no-such-flag'], { encoding: 'utf8' });
  t.equal(u.status, 2, 'an unknown flag is a usage error');
});
