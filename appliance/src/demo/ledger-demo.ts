// The appliance's ledger end to end, in one process, on its embedded default store
// (SQLite): an IMVU's owner publishes a rate card, its customers' usage is metered and
// signed per event, a payment is reported, the platform signs a 55/45 statement and a
// checkpoint, and the exit-style evidence (complete slice + statement bundle) is written
// out for `imvu-verify`. The HTTP service that will front this is the next issue.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LocalSigner,
  RATE_CARD_MEDIA_TYPE,
  REVENUE_REPORT_MEDIA_TYPE,
  TRUSTED_ROOT_MEDIA_TYPE,
  TrustedKeys,
  canonicalize,
  signJsonSync,
} from '@nexus-cos/sdk';
import { SqliteLedgerStore } from '../adapters/sqlite/ledger-store.js';
import { Ledger } from '../ledger/ledger.js';
import { recordRevenue, recordUsage } from '../ledger/meter.js';
import { sliceArtifact } from '../ledger/proofs.js';
import { systemClock } from '../ports/clock.js';
import { publishRateCard } from '../revenue/rate-cards.js';
import { issueStatement, rateCardEnvelopes } from '../revenue/statements.js';

const dir = mkdtempSync(join(tmpdir(), 'nexus-ledger-demo-'));
const origin = 'demo.nexus-cos.invalid/ledger';
const platform = LocalSigner.generate();
const owner = LocalSigner.generate();
const processor = LocalSigner.generate();
const ledger = Ledger.open({ store: new SqliteLedgerStore(join(dir, 'ledger.sqlite')), signer: platform, origin, clock: systemClock });
const imvu = 'IMVU-042';
const now = new Date();
const iso = (ms: number): string => new Date(now.getTime() + ms).toISOString();

const card = { imvu, version: 1, currency: 'EUR', effectiveFrom: iso(-60_000), split: { creatorBps: 5500, platformBps: 4500 }, prices: [
  { meter: 'vm.vcpu_seconds', unit: 'second', priceMinor: '3', per: '100' },
  { meter: 'mail.messages', unit: 'message', priceMinor: '1', per: '10' },
] };
await publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card, [owner]), new TrustedKeys([owner.publicKey]));
console.log(`rate card v1 signed by the owner ${owner.publicKey.id} and logged`);

let n = 0;
for (let i = 0; i < 200; i++) {
  const meter = i % 4 === 0 ? { meter: 'mail.messages', unit: 'message', quantity: 1n } : { meter: 'vm.vcpu_seconds', unit: 'second', quantity: 37n };
  await recordUsage(ledger, { imvu, actor: owner.publicKey.id, id: `evt-${i}`, source: 'urn:nexus-cos:demo', type: 'dev.nexus-cos.usage', subject: 'vm:web-1', time: iso(i), ...meter });
  n++;
}
const retry = await recordUsage(ledger, { imvu, actor: owner.publicKey.id, id: 'evt-7', source: 'urn:nexus-cos:demo', type: 'dev.nexus-cos.usage', subject: 'vm:web-1', time: iso(7), meter: 'vm.vcpu_seconds', unit: 'second', quantity: 37n });
console.log(`${n} usage events metered and signed per event; a retry of evt-7 was recognised (duplicate: ${retry.duplicate})`);

const payment = signJsonSync(REVENUE_REPORT_MEDIA_TYPE, { v: 1, imvu, id: 'pay-1', amount: '12345', currency: 'EUR', time: iso(500) }, [processor]);
await recordRevenue(ledger, payment, new TrustedKeys([processor.publicKey]), owner.publicKey.id);
console.log('a payment of 123.45 EUR reported and signed by the payment processor');

const head = ledger.chains.head(imvu)?.seq ?? 0;
const { envelope } = await issueStatement(ledger, platform, { imvu, currency: 'EUR', fromSeq: 0, toSeq: head });
const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { gross: string; creator: string; platform: string };
console.log(`statement: gross ${statement.gross}, creator ${statement.creator} (55%), platform ${statement.platform} (45%) minor units`);
ledger.checkpoint();

const trust = { mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin, keys: [{ name: origin, publicKey: platform.publicKey.id }] };
const write = (name: string, v: unknown): string => {
  writeFileSync(join(dir, name), `${canonicalize(v)}\n`);
  return join(dir, name);
};
write('trusted-root.json', trust);
write('slice.json', sliceArtifact(ledger, imvu));
write('statement.json', { v: 1, statement: envelope, slice: sliceArtifact(ledger, imvu), rateCards: rateCardEnvelopes(ledger, imvu) });
await ledger.close();
console.log(`evidence written to ${dir}`);
console.log(`DEMO_DIR=${dir}`);
console.log(`OWNER=${owner.publicKey.id}`);
