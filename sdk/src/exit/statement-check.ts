import { fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import type { ChainEntry } from '../revenue/chain.js';
import { verifyStatement } from '../revenue/verify-statement.js';
import type { LedgerEntryOf } from '../schemas/ledger.js';
import { STATEMENT_MEDIA_TYPE, assertStatementV1 } from '../schemas/revenue.js';
import { openJsonEnvelope } from '../verify/envelope.js';
import type { CheckedChain } from '../verify/checked-chain.js';
import { TrustedKeys } from '../verify/trust.js';
import type { LoadedTrustedRoot } from '../verify/trusted-root.js';
import { DOCUMENTS_DIR, RECORD_PATH } from './layout.js';
import { within } from './within.js';

type Files = ReadonlyMap<string, Uint8Array>;

function documentJson(files: Files, digest: string): unknown {
  const path = `${DOCUMENTS_DIR}${digest}`;
  const bytes = files.get(path);
  if (bytes === undefined) throw fail('BUNDLE_FILE_MISSING', 'a ledger entry names this document, but the bundle does not carry it', path);
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw fail('ENVELOPE_MALFORMED', 'the document is not JSON', `${path}#`, cause);
  }
}

/**
 * The owner keys rate cards are signed with, from the IMVU record (its owner and every key
 * that succeeded it). The record is not signed, but it cannot lend a forged card weight:
 * each card is named by digest in a platform-signed `rate_card` entry.
 */
function ownerKeysOf(files: Files): TrustedKeys {
  const dids = new Set<string>();
  try {
    const r = JSON.parse(fromUtf8(files.get(RECORD_PATH) ?? new Uint8Array())) as { owner?: unknown; ownerKeys?: { did?: unknown }[] };
    if (typeof r.owner === 'string') dids.add(r.owner);
    for (const k of Array.isArray(r.ownerKeys) ? r.ownerKeys : []) if (typeof k.did === 'string') dids.add(k.did);
  } catch (cause) {
    throw fail('BUNDLE_STATE_MISMATCH', 'the record is not JSON', RECORD_PATH, cause);
  }
  return within(RECORD_PATH, () => TrustedKeys.fromDids([...dids]));
}

/**
 * Step 8 of spec/exit-bundle.md §4: every statement the chain logs is recomputed from the
 * entries it covers and the owner-signed rate cards before it, and must equal the signed
 * document byte for byte (spec/revenue.md). Runs after step 7, so each document is already
 * known to hash to the digest its entry names. Returns how many statements were checked.
 */
export function checkStatements(files: Files, slice: CheckedChain, root: LoadedTrustedRoot): number {
  // Statements and rate cards are never `usage`, so the notable entries hold them all.
  const kept = slice.notable.map((e) => e.entry);
  const logged = kept.filter((e): e is LedgerEntryOf<'statement'> => e.kind === 'statement');
  if (logged.length === 0) return 0;
  const cards = kept.filter((e): e is LedgerEntryOf<'rate_card'> => e.kind === 'rate_card');
  // The entries a statement covers, as Array.slice(from, to + 1) would pick them.
  const covered = (from: number, to: number): ChainEntry[] => {
    const out: ChainEntry[] = [];
    for (let i = Math.max(0, from); i <= Math.min(to, slice.count - 1); i++) out.push(slice.entryAt(i));
    return out;
  };
  const ownerKeys = ownerKeysOf(files);
  for (const s of logged) {
    within(`${DOCUMENTS_DIR}${s.digest}`, () => {
      const envelope = documentJson(files, s.digest);
      // Opened once here only to learn the range it covers; verifyStatement checks everything.
      const { value } = openJsonEnvelope(envelope, { trusted: root.keys, payloadType: STATEMENT_MEDIA_TYPE });
      assertStatementV1(value);
      const from = Number(value.covers.fromSeq);
      const to = Number(value.covers.toSeq);
      if (value.imvu !== slice.head.chain) throw fail('STATEMENT_MISMATCH', `the statement is for ${value.imvu}`, '/imvu');
      if (to >= Number(s.seq)) throw fail('STATEMENT_MISMATCH', 'the statement covers entries logged after it', '/covers/toSeq');
      const inForce = cards.filter((c) => Number(c.seq) <= to);
      verifyStatement(envelope, {
        entries: covered(from, to),
        rateCardEnvelopes: inForce.map((c) => documentJson(files, c.digest)),
        priorRateCards: inForce.filter((c) => Number(c.seq) < from),
        trusted: root.keys,
        ownerKeys,
      });
    });
  }
  return logged.length;
}
