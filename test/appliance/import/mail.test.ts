// Mail import: appliance A (the sections world: a mail-enabled domain, a mailbox with
// delivered messages in a real Maildir, its DKIM key sealed to the owner) exits; appliance B
// (its own data dir and a real knotd) imports the bundle through `nexus-cos import`, which
// opens the sealed secrets with the owner's key. B's Maildir must hold the same bytes, B's
// knotd must serve A's DKIM TXT, and the mailbox must authenticate with the same password.
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { NexusClient, verifyExitBundle, type MailboxState } from '@nexus-cos/sdk';
import { importReads, importSecretsOf, openImportSecrets } from '../../../appliance/src/cli/import-secrets.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDomainStore } from '../../../appliance/src/adapters/sqlite/domain-store.js';
import { anchorExport, buildExitBundle } from '../../../appliance/src/exit/builder.js';
import { bundleSections } from '../../../appliance/src/exit/sections/all.js';
import { platform, trustedRoot } from '../../helpers/ledger.js';
import { readEntry } from '../../../appliance/src/ledger/read-entry.js';
import { MailAuthority } from '../../../appliance/src/mail/authority.js';
import { systemClock } from '../../../appliance/src/ports/clock.js';
import type { DnsDeps } from '../../../appliance/src/services/index.js';
import { fakeDnsDeps } from '../../helpers/fake-dns.js';
import { startKnot } from '../dns/knotd.js';
import { BOX, D, owner, ownerSeed, sectionsWorld } from '../exit/sections-world.js';
import { register, send, stack } from '../http/harness.js';
import { unpack } from '../../helpers/tar.js';
import { POLICIES, manifestDigest } from './bundle-of.js';
import { importViaCli, listenUrl } from './cli.js';

const PASSWORD = 'correct horse battery';
const kB = await startKnot();
t.teardown(() => kB.stop());

// A: mail and DNS, without compute (its sections are not imported yet).
const a = await sectionsWorld(t);
const bundle = await a.bundle({ compute: false });
const manifest = await manifestDigest(bundle);
const selector = a.mailDeps.directory.selector(D) as string;

// B: a fresh stack whose zones are served by a real knotd.
const depsB: DnsDeps = { ...fakeDnsDeps(), dns: kB.dns, store: new SqliteDomainStore(join(mkdtempSync(join(tmpdir(), 'nx-import-mail-')), 'domains.sqlite')) };
const b = await stack({ dns: depsB });
t.teardown(() => b.close());
await register(b.app, owner);
const maildirB = join(b.dir, 'maildirs', D, BOX.split('@')[0] as string);

/** A TXT RRset's text: its strings joined, `\DDD` escapes decoded (kdig and the zone state escape differently). */
function txtText(records: readonly string[]): string {
  return records.join('').replaceAll('" "', '').replaceAll('"', '').replace(/\\(\d{3})/g, (_, d: string) => String.fromCharCode(Number(d)));
}

/** The message files of a Maildir, `sub/name` to bytes. */
function maildirFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const sub of ['new', 'cur']) for (const n of readdirSync(join(dir, sub))) out.set(`${sub}/${n}`, readFileSync(join(dir, sub, n)).toString('base64'));
  return out;
}

t.test('the verifier hands back exactly the members an import reads, from its one pass: the same secrets and manifest digest', async (t) => {
  const v = await verifyExitBundle([bundle], trustedRoot, { keep: importReads });
  const members = await unpack(bundle);
  const wanted = members.filter((m) => importReads(m.name));
  t.same([...(v.kept ?? new Map()).keys()].sort(), wanted.map((m) => m.name).sort(), 'the manifest and the sealed secrets, nothing else');
  for (const m of wanted) t.ok(Buffer.from(v.kept?.get(m.name) ?? []).equals(m.bytes), `${m.name}: the archive's bytes`);
  t.ok(wanted.some((m) => m.name.startsWith('secrets/mail/')), 'the bundle seals mail secrets');
  const once = importSecretsOf(v.kept ?? new Map(), ownerSeed);
  t.same(once, await openImportSecrets([bundle], ownerSeed), 'what a separate pass opens');
  t.equal(once.manifest, manifest, 'the manifest digest the owner signs');
  t.equal((await verifyExitBundle([bundle], trustedRoot)).kept, undefined, 'nothing kept unless asked');
});

t.test('a bundle with mail and no opened secrets is refused before anything exists, naming the sealed file', async (t) => {
  const r = await send(b.app, owner, 'POST', `/v1/imports?manifest=${manifest}`, undefined, { raw: bundle, contentType: 'application/x-tar' });
  t.equal(r.statusCode, 400, r.body);
  t.match(r.json(), { code: 'INPUT_INVALID', field: `secrets/mail/${D}/dkim.pem.sealed` });
  t.equal(b.registry.imvu(a.id), undefined, 'no IMVU on B');
  t.equal(b.mailDirectory?.domain(D), undefined, 'no mail domain on B');
});

t.test('nexus-cos import opens the sealed mail secrets; B serves the same DKIM key, Maildir bytes and password', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-import-mail-cli-'));
  const files = { bundle: join(dir, 'IMVU.tar'), key: join(dir, 'owner.key') };
  writeFileSync(files.bundle, bundle);
  writeFileSync(files.key, `${Buffer.from(ownerSeed).toString('base64')}\n`, { mode: 0o600 });
  const { code, out, err } = await importViaCli(b.app, files.bundle, files.key);
  t.equal(code, 0, `exit 0 ${err}`);
  t.match(JSON.parse(out), { imvu: a.id, zones: [D], mailboxes: [BOX] });

  // The same message files, byte for byte, under the same names (the read one keeps its flags).
  const want = maildirFiles(join(a.mailRoot, D, BOX.split('@')[0] as string));
  t.equal(want.size, 3, 'A delivered three messages');
  t.same(maildirFiles(maildirB), want, 'B holds the same files and bytes');
  t.ok([...want.keys()].some((k) => k.startsWith('cur/') && k.endsWith(':2,S')), 'a flagged name survived the member mapping');

  // B's knotd serves A's DKIM record; B's key file is A's key, mode 0600.
  const name = `${selector}._domainkey.${D}`;
  const published = (await a.dns.dns.readZone(D)).rrsets.find((r) => r.name === name && r.type === 'TXT');
  t.ok(published, 'A published a DKIM TXT');
  const served = await kB.dig(name, 'TXT');
  t.equal(txtText(served), txtText(published?.records ?? []), 'B serves A\u2019s DKIM TXT');
  t.match(txtText(served), /^v=DKIM1; k=rsa; p=MII/, 'and it is a DKIM key record');
  t.equal(readFileSync(join(b.dir, 'dkim', D, 'private'), 'utf8'), readFileSync(join(a.mailDeps.dkimRoot, D, 'private'), 'utf8'), 'the same DKIM private key');
  t.equal(b.mailDirectory?.selector(D), selector, 'the same selector, enabled');

  // The mailbox authenticates on B with A's password (the scrypt hash moved, not the password).
  const authority = new MailAuthority({ directory: b.mailDirectory as NonNullable<typeof b.mailDirectory>, ledger: b.ledger, clock: systemClock, mailRoot: join(b.dir, 'maildirs') });
  t.match(await authority.handle({ id: 1, op: 'auth', user: BOX, password: PASSWORD }), { ok: true }, 'same password accepted');
  t.match(await authority.handle({ id: 2, op: 'auth', user: BOX, password: `${PASSWORD}!` }), { ok: false }, 'another refused');
  t.ok((await unpack(bundle)).some((m) => m.name === `secrets/mail/${D}/dkim.pem.sealed`), 'the bundle carried the key sealed only');
});

t.test('B re-exports the imported IMVU: the bundle verifies and its mailbox state is the imported messages', async (t) => {
  // B's own exit, with every section B serves (its real knotd, its Maildirs), anchored now.
  await b.ledger.flush();
  const at = anchorExport(b.ledger, a.id);
  const mail = {
    directory: b.mailDirectory as NonNullable<typeof b.mailDirectory>, domains: depsB.store, registry: b.registry, ledger: b.ledger.store,
    mailRoot: join(b.dir, 'maildirs'), dkimRoot: join(b.dir, 'dkim'), scratch: b.dir,
  };
  const sections = bundleSections({ ledger: b.ledger, platformKey: platform.publicKey.id, registry: b.registry, policies: POLICIES, dns: depsB, mail });
  const chunks: Uint8Array[] = [];
  for await (const x of buildExitBundle({ ledger: b.ledger, platform, sections }, a.id, new Date(), at)) chunks.push(x);
  const again = Buffer.concat(chunks);
  const v = await verifyExitBundle([again], trustedRoot).catch((e: { code?: string; field?: string; message?: string }) => e);
  t.match(v, { imvu: a.id }, `B's bundle verifies: ${JSON.stringify(v)}`);

  // The state lists exactly the messages A's state listed, which are the bytes B holds.
  const statePath = `mail/${D}/${BOX.split('@')[0] as string}/state.json`;
  const stateOf = async (x: Buffer) => JSON.parse(((await unpack(x)).find((m) => m.name === statePath)?.bytes ?? Buffer.from('null')).toString('utf8')) as MailboxState;
  const before = await stateOf(bundle);
  const after = await stateOf(again);
  t.equal(after.messages.length, 3, 'three messages in B\u2019s state');
  t.same(after, before, 'the same mailbox state as A exported');

  // B's chain says exactly what B holds: one `mail` entry per imported message, and no usage.
  const entries = b.ledger.store.chain(a.id, 0, Number.MAX_SAFE_INTEGER).map((e) => readEntry(e) as unknown as Record<string, unknown>);
  const mailEntries = entries.filter((e) => e['kind'] === 'mail');
  t.same(mailEntries.map((e) => `${String(e['message'])}/${String(e['size'])}`).sort(), after.messages.map((m) => `${m.sha256}/${m.size}`).sort(), 'one entry per message');
  t.ok(mailEntries.every((e) => e['direction'] === 'imported' && e['mailbox'] === BOX && e['actor'] === owner.publicKey.id), 'imported, for the mailbox, attributed to the owner');
  t.equal(entries.filter((e) => e['kind'] === 'usage').length, 0, 'imported mail is not metered');
});

t.test('an imported mail entry in a chain that was never imported fails verification, naming the entry', async (t) => {
  // A's chain begins with its creation, not an import: no `imported` mail belongs in it.
  const r = await a.s.ledger.append({ kind: 'mail', imvu: a.id, actor: owner.publicKey.id, direction: 'imported', mailbox: BOX, message: '0'.repeat(64), size: '1' });
  const forged = await a.bundle({ compute: false });
  const e = await verifyExitBundle([forged], trustedRoot).then(() => undefined, (x: { code?: string; field?: string }) => x);
  t.match(e, { code: 'BUNDLE_STATE_MISMATCH', field: `ledger/chain.jsonl#/entries/${r.seq}/direction` });
});

t.test('an import whose Maildir write fails after the DKIM key was written leaves no mail, zone or IMVU behind', async (t) => {
  const dns = fakeDnsDeps();
  const other = await stack({ dns });
  t.teardown(() => other.close());
  await register(other.app, owner);
  // The Maildir root is a file: the DKIM key is written, then the first mailbox fails.
  writeFileSync(join(other.dir, 'maildirs'), 'not a directory');
  const client = new NexusClient({ baseUrl: await listenUrl(other.app), signer: owner, retries: 0 });
  t.teardown(() => client.close());
  const { secrets } = await openImportSecrets([bundle], ownerSeed);
  t.equal(secrets?.dkim.length, 1, 'the CLI opened one DKIM key');
  await t.rejects(client.importBundle(bundle, manifest, secrets), 'refused');
  t.equal(other.registry.imvu(a.id), undefined, 'no IMVU');
  t.equal(other.mailDirectory?.domain(D), undefined, 'no mail domain');
  t.notOk(existsSync(join(other.dir, 'dkim', D)), 'the DKIM key was removed');
  await t.rejects(dns.dns.readZone(D), { code: 'DNS_ZONE_UNKNOWN' }, 'the zone was deleted');
  t.equal(other.ledger.chains.head(a.id), undefined, 'no chain');
});
