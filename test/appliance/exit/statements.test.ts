// Statements inside an exit bundle (spec/exit-bundle.md §4 step 8): each one the chain logs
// is recomputed from its entries and must equal the signed document, naming it when not.
import t, { type Test } from 'tap';
import { bothPaths } from './both-paths.js';
import {
  LocalSigner, RATE_CARD_MEDIA_TYPE, STATEMENT_MEDIA_TYPE, TrustedKeys, canonicalBytes, sha256, signJsonSync, toHex,
  type ErrorCode, type SyncSigner,
} from '@nexus-cos/sdk';
import type { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import { publishRateCard } from '../../../appliance/src/revenue/rate-cards.js';
import { issueStatement } from '../../../appliance/src/revenue/statements.js';
import { openLedger, owner, platform, tempDb, trustedRoot, usage } from '../../helpers/ledger.js';
import { repack, resign, unpack } from '../../helpers/tar.js';
import { IMVU, bundleOf } from './small-chain.js';

const card = { imvu: IMVU, version: 1, currency: 'EUR', effectiveFrom: '2026-11-26T00:00:00Z', prices: [{ meter: 'dns.queries', unit: 'query', priceMinor: '7', per: '1000' }], split: { creatorBps: 5500, platformBps: 4500 } };

/** A ledger whose IMVU has a rate card and 20 usage events, the `bump`th one `extra` queries larger. */
async function metered(bump = -1, extra = 0n): Promise<Ledger> {
  const ledger = openLedger(tempDb());
  await publishRateCard(ledger, signJsonSync(RATE_CARD_MEDIA_TYPE, card, [owner]), new TrustedKeys([owner.publicKey]));
  for (let i = 0; i < 20; i++) await recordUsage(ledger, usage(IMVU, i, i === bump ? 500n + extra : 500n));
  return ledger;
}

/** Logs `envelope` as a statement exactly as issueStatement does, whoever signed it. */
async function logStatement(ledger: Ledger, envelope: unknown): Promise<string> {
  const bytes = canonicalBytes(envelope);
  const digest = toHex(sha256(bytes));
  const body = JSON.parse(Buffer.from((envelope as { payload: string }).payload, 'base64').toString()) as { period: { from: string; to: string }; gross: string };
  await ledger.append({ kind: 'statement', imvu: IMVU, actor: platform.publicKey.id, from: body.period.from, to: body.period.to, gross: body.gross, digest }, undefined, [{ digest, mediaType: STATEMENT_MEDIA_TYPE, bytes }]);
  return digest;
}

async function refused(t: Test, b: Buffer, code: ErrorCode, field: string, msg: string): Promise<void> {
  const [one, onWorkers] = await bothPaths(b, trustedRoot);
  t.same(onWorkers, one, `${msg}: the same on worker threads`);
  const r = one as { code?: string; field?: string };
  t.equal(r.code, code, `${msg}: ${code}`);
  t.ok(r?.field?.startsWith(field), `${msg}: names ${field} (${r?.field})`);
}

const head = (l: Ledger): number => l.chains.head(IMVU)?.seq ?? -1;

t.test('a logged statement is recomputed inside bundle verification', async (t) => {
  const ledger = await metered();
  await issueStatement(ledger, platform, { imvu: IMVU, currency: 'EUR', fromSeq: 0, toSeq: head(ledger) });
  await recordUsage(ledger, usage(IMVU, 20, 1n));
  await issueStatement(ledger, platform, { imvu: IMVU, currency: 'EUR', fromSeq: 22, toSeq: 22 });
  const [v, onWorkers] = await bothPaths(await bundleOf(ledger), trustedRoot);
  t.equal('statements' in v && v.statements, 2, 'both statements were recomputed and matched');
  t.same(onWorkers, v, 'and on worker threads, from usage entries re-read from their bytes');
  await ledger.close();
});

t.test('a statement whose entries changed fails, naming its document', async (t) => {
  // The platform signed a statement over a chain whose 6th event was larger than the one logged.
  const other = await metered(5, 1n);
  const { envelope } = await issueStatement(other, platform, { imvu: IMVU, currency: 'EUR', fromSeq: 0, toSeq: head(other) });
  await other.close();
  const ledger = await metered();
  const digest = await logStatement(ledger, envelope);
  await refused(t, await bundleOf(ledger), 'STATEMENT_MISMATCH', `ledger/documents/${digest}#/`, 'covered entries differ');
  await ledger.close();
});

t.test('a statement altered and re-signed by an untrusted key fails, naming its document', async (t) => {
  const ledger = await metered();
  const { envelope } = await issueStatement(ledger, platform, { imvu: IMVU, currency: 'EUR', fromSeq: 0, toSeq: head(ledger) });
  const good = await bundleOf(ledger);
  const body = JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as { platform: string; creator: string };
  const stranger: SyncSigner = LocalSigner.fromSeed(new Uint8Array(32).fill(79));
  const altered = signJsonSync(STATEMENT_MEDIA_TYPE, { ...body, platform: String(BigInt(body.platform) + 1n), creator: String(BigInt(body.creator) - 1n) }, [stranger]);

  // Swapped into the bundle under the logged name, with the manifest re-signed even by the platform key.
  const digest = toHex(sha256(canonicalBytes(envelope)));
  const members = (await unpack(good)).map((m) => (m.name === `ledger/documents/${digest}` ? { name: m.name, bytes: Buffer.from(canonicalBytes(altered)) } : m));
  await refused(t, await repack(resign(members, platform)), 'BUNDLE_STATE_MISMATCH', `ledger/documents/${digest}`, 'swapped document');

  // Logged by the chain itself: the digest matches, the signature is not the platform's.
  const forged = await logStatement(ledger, altered);
  await refused(t, await bundleOf(ledger), 'SIGNATURE_UNTRUSTED', `ledger/documents/${forged}#/signatures`, 'logged but untrusted');
  await ledger.close();
});

t.test('a document no entry names is refused, even under its own digest in a re-signed manifest', async (t) => {
  const ledger = await metered();
  const stray = canonicalBytes({ note: 'named by no entry' });
  const digest = toHex(sha256(stray));
  const members = [{ name: `ledger/documents/${digest}`, bytes: Buffer.from(stray) }, ...(await unpack(await bundleOf(ledger)))];
  await refused(t, await repack(resign(members, platform)), 'BUNDLE_STATE_MISMATCH', `ledger/documents/${digest}`, 'unnamed document');
  await ledger.close();
});
