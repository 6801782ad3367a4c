// The DNSSEC part of an import's plan, judged before any effect: which zones need their keys,
// what the owner's secrets may hold, and which bundles are refused (the knotd side is in
// dnssec.test.ts). Pure: a fake DNS server behind the port.
import t from 'tap';
import type { ImportSecrets } from '@nexus-cos/sdk';
import { readDnssec } from '../../../appliance/src/import/dnssec.js';
import { DnssecImport } from '../../../appliance/src/import/dnssec-effect.js';
import type { Dns, DnssecKeyExport } from '../../../appliance/src/ports/dns.js';
import { throwsCode } from '../../helpers/codes.js';
import { FakeDns } from '../../helpers/fake-dns.js';

const Z = 'example.org';
const SEALED = `secrets/dns/${Z}/keys.json.sealed`;
const published = new Map([[`dns/${Z}/dnssec.json`, new TextEncoder().encode(JSON.stringify({ dnskey: ['257 3 13 AAAA'], ds: ['1 13 2 AB'] }))]]);
const key = (ksk: boolean): DnssecKeyExport => ({ id: (ksk ? 'a' : 'b').repeat(40), tag: ksk ? 1 : 2, algorithm: 13, size: 256, ksk, zsk: !ksk, timers: { created: 1 }, pem: 'x' });
const secrets = (keys: DnssecKeyExport[], zone = Z) => ({ v: 1 as const, dkim: [], credentials: [], dnssec: [{ zone, keys }] });
const knotLike = (): Dns => Object.assign(new FakeDns(), { importDnssecKeys: async () => undefined, removeDnssecKeys: async () => undefined });

t.test('sealed keys are read only for a zone the bundle carries, with its published DNSKEY and DS', async (t) => {
  const d = readDnssec([SEALED], published, [Z]);
  t.same(d.sealed, [Z]);
  t.same(d.published.get(Z), { dnskey: ['257 3 13 AAAA'], ds: ['1 13 2 AB'] });
  throwsCode(t, () => readDnssec([SEALED], published, []), 'BUNDLE_STATE_MISMATCH', 'keys of a zone the bundle does not carry');
  throwsCode(t, () => readDnssec([SEALED], new Map(), [Z]), 'BUNDLE_FILE_MISSING', 'keys without the published DS');
  throwsCode(t, () => readDnssec(['secrets/dns/-bad-/keys.json.sealed'], published, [Z]), 'DNS_RECORD_INVALID', 'a zone name outside the DNS grammar');
});

t.test('a zone whose keys are sealed needs them; nothing else is accepted', async (t) => {
  const d = readDnssec([SEALED], published, [Z]);
  t.doesNotThrow(() => new DnssecImport(knotLike(), d, secrets([key(true), key(false)])), 'the KSK and ZSK');
  const cases: [string, ImportSecrets | undefined][] = [['no secrets', undefined], ['no keys of the zone', { v: 1, dkim: [], credentials: [] }], ['no KSK', secrets([key(false)])]];
  for (const [why, s] of cases) {
    const e = t.throws(() => new DnssecImport(knotLike(), d, s)) as { code?: string; field?: string };
    t.match(e, { code: 'INPUT_INVALID', field: SEALED }, why);
  }
  const other = readDnssec([], published, [Z]);
  t.match(t.throws(() => new DnssecImport(knotLike(), other, secrets([key(true)]))), { code: 'INPUT_INVALID', field: SEALED }, 'keys of a zone the bundle does not seal');
  t.match(t.throws(() => new DnssecImport(new FakeDns(), d, secrets([key(true)]))), { code: 'IMPORT_SECTION_UNSUPPORTED', field: SEALED }, 'a DNS server that cannot import keys');
});
