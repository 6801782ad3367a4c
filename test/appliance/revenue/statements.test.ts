import t from 'tap';
import {
  LocalSigner,
  RATE_CARD_MEDIA_TYPE,
  REVENUE_REPORT_MEDIA_TYPE,
  TrustedKeys,
  canonicalize,
  sha256,
  signJsonSync,
  toHex,
  verifyStatementBundle,
} from '@nexus-cos/sdk';
import { recordRevenue, recordUsage } from '../../../appliance/src/ledger/meter.js';
import { sliceArtifact } from '../../../appliance/src/ledger/proofs.js';
import { publishRateCard } from '../../../appliance/src/revenue/rate-cards.js';
import { issueStatement, rateCardEnvelopes } from '../../../appliance/src/revenue/statements.js';
import { ORIGIN, openLedger, owner, platform, tempDb, trustedRoot, usage } from '../../helpers/ledger.js';
import { rejectsCode, throwsCode } from '../../helpers/codes.js';
import { verifyCli } from '../../helpers/verify-cli.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/tmp.js';

const ownerKeys = new TrustedKeys([owner.publicKey]);
const reporter = LocalSigner.fromSeed(new Uint8Array(32).fill(11));
const card = (version: number, effectiveFrom: string, priceMinor: string, split = { creatorBps: 5500, platformBps: 4500 }) => ({
  imvu: 'IMVU-042', version, currency: 'EUR', effectiveFrom, prices: [{ meter: 'dns.queries', unit: 'query', priceMinor, per: '1000' }], split,
});

t.test('a statement is signed, logged, and recomputed offline byte for byte', async (t) => {
  const ledger = openLedger(tempDb());
  await publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card(1, '2026-11-26T00:00:00Z', '7'), [owner]), ownerKeys);
  for (let i = 0; i < 30; i++) await recordUsage(ledger, usage('IMVU-042', i, 333n));
  const report = signJsonSync(REVENUE_REPORT_MEDIA_TYPE, { v: 1, imvu: 'IMVU-042', id: 'pay-1', amount: '10001', currency: 'EUR', time: '2026-11-26T00:00:31Z' }, [reporter]);
  const rr = await recordRevenue(ledger, report, new TrustedKeys([reporter.publicKey]), owner.publicKey.id);
  t.equal((await recordRevenue(ledger, report, new TrustedKeys([reporter.publicKey]), owner.publicKey.id)).index, rr.index, 'a re-sent report is recorded once');
  await publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card(2, '2026-11-26T00:00:45Z', '11'), [owner]), ownerKeys);
  for (let i = 30; i < 60; i++) await recordUsage(ledger, usage('IMVU-042', i, 1000n));

  const head = ledger.chains.head('IMVU-042')?.seq ?? -1;
  const { envelope } = await issueStatement(ledger, platform, { imvu: 'IMVU-042', currency: 'EUR', fromSeq: 0, toSeq: head });
  ledger.checkpoint();
  const bundle = { v: 1, statement: envelope, slice: sliceArtifact(ledger, 'IMVU-042'), rateCards: rateCardEnvelopes(ledger, 'IMVU-042') };
  const v = verifyStatementBundle(bundle, trustedRoot, ownerKeys);
  const s = v.statement;
  t.equal(BigInt(s.creator) + BigInt(s.platform), BigInt(s.gross), 'creator + platform == gross, to the unit');
  t.equal(s.covers.count, String(head + 1), 'covers every entry of the period');
  t.ok(BigInt(s.gross) > 10001n, 'usage and reported revenue both count');

  // The same through imvu-verify, with the files an auditor would be handed.
  const dir = tempDir('nexus-stmt-');
  writeFileSync(join(dir, 'trusted-root.json'), `${canonicalize({ mediaType: 'application/vnd.nexus-cos.trusted-root.v1+json', origin: ORIGIN, keys: [{ name: ORIGIN, publicKey: platform.publicKey.id }] })}\n`);
  writeFileSync(join(dir, 'statement.json'), `${canonicalize(bundle)}\n`);
  const ok = verifyCli(dir, ['statement', 'statement.json', '--trust', 'trusted-root.json', '--owner', owner.publicKey.id, '--json']);
  t.equal(ok.code, 0, ok.out);
  const stranger = LocalSigner.generate().publicKey.id;
  const bad = verifyCli(dir, ['statement', 'statement.json', '--trust', 'trusted-root.json', '--owner', stranger, '--json']);
  t.equal(bad.code, 1, 'rate cards must be signed by the owner the auditor trusts');
  t.equal((JSON.parse(bad.out) as { code: string }).code, 'SIGNATURE_UNTRUSTED');

  // A statement re-signed by someone else, or one that drops an entry, is refused.
  const forged = signJsonSync('application/vnd.nexus-cos.statement.v1+json', { ...s, platform: String(BigInt(s.platform) + 1n) }, [LocalSigner.generate()]);
  throwsCode(t, () => verifyStatementBundle({ ...bundle, statement: forged }, trustedRoot, ownerKeys), 'SIGNATURE_UNTRUSTED');
  await ledger.close();
});

t.test('gate 3 at publication: the split is constitutional, versions only go up, the owner signs', async (t) => {
  const ledger = openLedger(tempDb());
  await rejectsCode(t, () => publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card(1, '2026-11-26T00:00:00Z', '7', { creatorBps: 5000, platformBps: 5000 }), [owner]), ownerKeys), 'REVENUE_SPLIT_VIOLATION');
  await rejectsCode(t, () => publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card(1, '2026-11-26T00:00:00Z', '7'), [reporter]), ownerKeys), 'SIGNATURE_UNTRUSTED');
  await publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card(3, '2026-11-26T00:00:00Z', '7'), [owner]), ownerKeys);
  await rejectsCode(t, () => publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card(2, '2026-11-27T00:00:00Z', '7'), [owner]), ownerKeys), 'INPUT_INVALID');
  t.equal(ledger.tree.size, 1, 'only the valid card was logged');
  await rejectsCode(t, () => issueStatement(ledger, platform, { imvu: 'IMVU-042', currency: 'EUR', fromSeq: 0, toSeq: 5 }), 'INPUT_INVALID');
  await ledger.close();
});

t.test("a revenue report is verified against its reporter and kept beside its entry", async (t) => {
  const ledger = openLedger(tempDb());
  const reporters = new TrustedKeys([reporter.publicKey]);
  const body = { v: 1, imvu: 'IMVU-042', id: 'pay-9', amount: '500', currency: 'EUR', time: '2026-11-26T00:00:31Z' };
  await rejectsCode(t, () => recordRevenue(ledger, signJsonSync(REVENUE_REPORT_MEDIA_TYPE, body, [LocalSigner.generate()]), reporters, owner.publicKey.id), 'SIGNATURE_UNTRUSTED');
  await rejectsCode(t, () => recordRevenue(ledger, signJsonSync(REVENUE_REPORT_MEDIA_TYPE, { ...body, amount: '5.00' }, [reporter]), reporters, owner.publicKey.id), 'PAYLOAD_INVALID');
  const env = signJsonSync(REVENUE_REPORT_MEDIA_TYPE, body, [reporter]);
  await recordRevenue(ledger, env, reporters, owner.publicKey.id);
  const digest = toHex(sha256(new TextEncoder().encode(canonicalize(env))));
  t.equal(ledger.store.document(digest)?.mediaType, REVENUE_REPORT_MEDIA_TYPE, 'the signed report is stored');
  t.equal(ledger.tree.size, 1, 'refused reports left no trace');
  await ledger.close();
});
