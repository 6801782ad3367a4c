// DNSSEC private keys leave knotd only sealed to the owner, and are enough for another
// knotd to sign the zone with the same keys: the DS at the parent stays valid after a move.
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openSealed } from '@nexus-cos/sdk';
import { importPemArgs } from '../../../appliance/src/adapters/knot/index.js';
import { dnssecKeysSection, dnssecKeysPath } from '../../../appliance/src/exit/sections/dnssec-keys.js';
import type { DnssecKeyExport } from '../../../appliance/src/ports/dns.js';
import { key } from '../http/harness.js';
import { startKnot } from './knotd.js';

const Z = 'example.org';
const ZONE = { nameservers: ['ns1.example.net', 'ns2.example.net'], soaEmail: 'hostmaster@example.org' };
const owner = key(41);
const ownerSeed = new Uint8Array(32).fill(41);

t.test('the sealed keys open with the owner seed, and import into another knotd under the same DS', async (t) => {
  const a = await startKnot();
  t.teardown(() => a.stop());
  await a.dns.createZone(Z, ZONE);
  const before = await a.dns.dnssec(Z);

  // The section, over the real knotd, for an IMVU whose owner is `owner`.
  const registry = { imvu: () => ({ owner: owner.publicKey.id }) as never, identity: () => undefined };
  const section = dnssecKeysSection(a.dns, { domainsOf: () => [{ domain: Z }] as never }, registry);
  const files = [];
  for await (const f of section.files('IMVU-001')) files.push(f);
  t.same(files.map((f) => f.path), [dnssecKeysPath(Z)], 'one sealed file per zone');
  const chunks: Uint8Array[] = [];
  for await (const c of (files[0] as (typeof files)[number]).open()) chunks.push(c);
  const sealed = Buffer.concat(chunks);
  t.notMatch(sealed.toString('latin1'), /PRIVATE KEY/, 'no key in clear');
  t.throws(() => openSealed(sealed, dnssecKeysPath(Z), new Uint8Array(32).fill(42)), { code: 'SEALED_OPEN_FAILED' }, 'another key cannot open it');
  const plain = JSON.parse(Buffer.from(openSealed(sealed, dnssecKeysPath(Z), ownerSeed)).toString()) as { zone: string; keys: DnssecKeyExport[] };
  t.equal(plain.zone, Z);
  t.ok(plain.keys.some((k) => k.ksk) && plain.keys.some((k) => k.zsk), 'the KSK and the ZSK');
  for (const k of plain.keys) {
    t.equal(createPrivateKey(k.pem).asymmetricKeyDetails?.namedCurve, 'prime256v1', `key ${k.tag}: a P-256 private key (algorithm ${k.algorithm})`);
  }
  const ksk = plain.keys.find((k) => k.ksk) as DnssecKeyExport;
  t.ok(before.ds.every((d) => d.startsWith(`${ksk.tag} `)), 'the DS names the exported KSK');

  // Another knotd: import the keys first, then serve the zone; it signs with them.
  const b = await startKnot();
  t.teardown(() => b.stop());
  const tmp = mkdtempSync(join(tmpdir(), 'nx-keys-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  for (const k of plain.keys) {
    const file = join(tmp, `${k.id}.pem`);
    writeFileSync(file, k.pem, { mode: 0o600 });
    await b.runner.run(['keymgr', '-C', join(b.dir, 'knot', 'confdb'), Z, 'import-pem', file, ...importPemArgs(k)]);
  }
  await b.dns.createZone(Z, ZONE);
  const after = await b.dns.dnssec(Z);
  t.same(after.ds, before.ds, 'the same DS: the parent need not change');
  t.same(after.dnskey, before.dnskey, 'the same DNSKEY');
  t.same((await b.dig(Z, 'DNSKEY')).length, (await a.dig(Z, 'DNSKEY')).length, 'served alike');
});
