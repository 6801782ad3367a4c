// Key validity periods in the trusted root: the bundle's own root carries the platform key's
// period, and the verifier refuses an entry, checkpoint or manifest signed outside its key's.
import t, { type Test } from 'tap';
import { bothPaths } from './both-paths.js';
import {
  LocalSigner, RATE_CARD_MEDIA_TYPE, TRUSTED_ROOT_MEDIA_TYPE, TrustedKeys, canonicalBytes, loadTrustedRoot, signJsonSync, signNote,
  verifyExitBundle, type TrustedRoot,
} from '@nexus-cos/sdk';
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import { publishRateCard } from '../../../appliance/src/revenue/rate-cards.js';
import { throwsCode } from '../../helpers/codes.js';
import { ORIGIN, openLedger, owner, platform, tempDb, trustedRoot, usage } from '../../helpers/ledger.js';
import { repack, resign, unpack } from '../../helpers/tar.js';
import { IMVU, bundleOf } from './small-chain.js';

type Key = TrustedRoot['keys'][number];
const EXPORTED = new Date('2026-11-26T12:00:00Z');
const rootOf = (...keys: Key[]) => loadTrustedRoot({ mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin: ORIGIN, keys });
const platformKey = (period: Partial<Key>): Key => ({ name: ORIGIN, publicKey: platform.publicKey.id, ...period });

// 20 usage events (each entry's time is its event's, 00:00:00 to 00:00:19), then a rate card
// the platform stamps with its clock (a few seconds after 00:00:00).
const ledger = openLedger(tempDb());
t.teardown(() => ledger.close());
for (let i = 0; i < 20; i++) await recordUsage(ledger, usage(IMVU, i));
await publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, { imvu: IMVU, version: 1, currency: 'EUR', effectiveFrom: '2026-11-26T00:00:00Z', prices: [{ meter: 'dns.queries', unit: 'query', priceMinor: '7', per: '1000' }], split: { creatorBps: 5500, platformBps: 4500 } }, [owner]), new TrustedKeys([owner.publicKey]));
const bundle = await bundleOf(ledger, EXPORTED);
const members = await unpack(bundle);

async function outside(t: Test, b: Buffer, root: ReturnType<typeof rootOf>, field: string, msg: string): Promise<void> {
  const [one, onWorkers] = await bothPaths(b, root);
  t.same(onWorkers, one, `${msg}: the same on worker threads`);
  const r = one as { code?: string; field?: string };
  t.equal(r.code, 'KEY_OUTSIDE_VALIDITY', `${msg}: refused`);
  t.equal(r?.field, field, `${msg}: names ${field}`);
}

t.test('the bundled root gives the platform key a period from the first entry, and it verifies under it', async (t) => {
  const root = JSON.parse(members.find((m) => m.name === 'trusted-root.json')?.bytes.toString() ?? '{}') as TrustedRoot;
  t.same(root.keys.map((k) => [k.publicKey, k.validFrom, k.validUntil]), [[platform.publicKey.id, '2026-11-26T00:00:00Z', undefined]], 'validFrom is the first entry\'s time; open-ended');
  t.equal((await verifyExitBundle([bundle])).trust, 'bundled', 'verifies against its own root, periods in force');
  const [one, onWorkers] = await bothPaths(bundle);
  t.same(onWorkers, one, 'and so it does with entries checked on worker threads');
  t.equal((await verifyExitBundle([bundle], trustedRoot)).entries, 21, 'an older root without periods is still read');
  t.equal((await verifyExitBundle([bundle], rootOf(platformKey({ validFrom: '2026-11-25T00:00:00Z', validUntil: '2026-11-27T00:00:00Z' })))).entries, 21, 'a closed period that covers everything');
});

t.test('an entry signed after its key\'s period ended is refused, naming the entry', async (t) => {
  await outside(t, bundle, rootOf(platformKey({ validUntil: '2026-11-26T00:00:10Z' })), 'ledger/chain.jsonl#/entries/10/time', 'event at 00:00:10, key until 00:00:10');
});

t.test('an entry the platform stamped before its key\'s period began is refused; earlier events are not', async (t) => {
  // Events happened before the key's period but may have been signed after it began; the rate card was stamped at signing.
  await outside(t, bundle, rootOf(platformKey({ validFrom: '2026-11-26T01:00:00Z' })), 'ledger/chain.jsonl#/entries/20/time', 'rate card stamped before 01:00');
});

t.test('events signed by a key whose period began only after the export are refused at the first', async (t) => {
  // An event's signing lies between its time and the export; a key valid only from 13:00 signed none of them in time.
  await outside(t, bundle, rootOf(platformKey({ validFrom: '2026-11-26T13:00:00Z' })), 'ledger/chain.jsonl#/entries/0/time', 'export at 12:00, key from 13:00');
  const [one] = await bothPaths(bundle, rootOf(platformKey({ validFrom: '2026-11-26T13:00:00Z' })));
  t.match((one as { message?: string }).message, /between 2026-11-26T00:00:00(\.000)?Z and 2026-11-26T12:00:00(\.000)?Z/, 'the message names the interval up to the export');
});

t.test('a manifest created after its key\'s period ended is refused', async (t) => {
  await outside(t, bundle, rootOf(platformKey({ validUntil: '2026-11-26T06:00:00Z' })), 'manifest.json#/payload/createdAt', 'exported at 12:00, key until 06:00');
});

t.test('a checkpoint signed by a key whose period began after the export is refused', async (t) => {
  const next = LocalSigner.fromSeed(new Uint8Array(32).fill(80));
  // The anchor checkpoint re-signed by a second platform key, which shares the origin's note name.
  const resigned = members.map((m) => {
    if (m.name !== 'ledger/head-proof.json') return m;
    const proof = JSON.parse(m.bytes.toString()) as { checkpoint: string };
    const text = proof.checkpoint.slice(0, proof.checkpoint.indexOf('\n\n') + 1);
    return { name: m.name, bytes: Buffer.from(canonicalBytes({ ...proof, checkpoint: signNote(text, [{ name: ORIGIN, signer: next }]) })) };
  });
  const b = await repack(resign(resigned, platform));
  const nextKey = (validFrom: string): Key => ({ name: ORIGIN, publicKey: next.publicKey.id, validFrom });
  const until = platformKey({ validFrom: '2026-11-26T00:00:00Z' });
  t.equal((await verifyExitBundle([b], rootOf(until, nextKey('2026-11-26T00:00:30Z')))).entries, 21, 'a newer key may checkpoint older entries');
  await outside(t, b, rootOf(until, nextKey('2026-11-26T13:00:00Z')), 'ledger/head-proof.json#/checkpoint', 'key valid only from 13:00, export at 12:00');
});

t.test('a root whose period is empty or inverted is invalid', async (t) => {
  throwsCode(t, () => rootOf(platformKey({ validFrom: '2026-11-26T00:00:00Z', validUntil: '2026-11-26T00:00:00Z' })), 'TRUST_ROOT_INVALID');
  throwsCode(t, () => rootOf(platformKey({ validFrom: '2026-11-26T00:00:00Z', validUntil: '2026-11-25T00:00:00Z' })), 'TRUST_ROOT_INVALID');
  throwsCode(t, () => rootOf(platformKey({ validFrom: '2026-13-40T00:00:00Z' })), 'TRUST_ROOT_INVALID');
});
