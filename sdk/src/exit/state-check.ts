import { sha256 } from '../crypto/sha256.js';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { toHex } from '../encoding/hex.js';
import { fail } from '../errors/index.js';
import { namedDigests } from '../ledger/named-digests.js';
import type { CheckedChain } from '../verify/checked-chain.js';
import { DOCUMENTS_DIR, RECORD_PATH, ZONE_STATE_RE, zoneStatePath } from './layout.js';

/** The digest of a zone that holds nothing (spec/dns.md): such a zone is not exported. */
const emptyZone = (zone: string): string => toHex(sha256(canonicalBytes({ zone, rrsets: [] })));

/**
 * Step 7 of spec/exit-bundle.md §4: the exported states are the ones the ledger recorded
 * last. Each zone's last `dns_change` names the state digest; the bundle must carry exactly
 * the non-empty ones, documents must be named by some entry, and the record must be this IMVU's.
 */
export function checkState(paths: readonly string[], files: ReadonlyMap<string, Uint8Array>, digests: ReadonlyMap<string, string>, slice: CheckedChain): void {
  const lastState = new Map<string, string>();
  for (const { entry } of slice.notable) if (entry.kind === 'dns_change') lastState.set(entry.zone, entry.after);
  // Every digest any entry names, gathered only when the bundle carries a document to look
  // up: first from the entries kept parsed (documents are named by those), and only for a
  // digest none of them names, from every entry.
  let named: Set<string> | undefined;
  let everyEntry = false;
  const isNamed = (d: string): boolean => {
    if (named === undefined) {
      named = new Set<string>();
      for (const { entry } of slice.notable) namedDigests(entry, named);
    }
    if (!named.has(d) && !everyEntry) {
      everyEntry = true;
      for (let i = 0; i < slice.count; i++) namedDigests(slice.entryAt(i).entry, named);
    }
    return named.has(d);
  };
  for (const [zone, after] of lastState) {
    const path = zoneStatePath(zone);
    if (after === emptyZone(zone)) continue;
    const got = digests.get(path);
    if (got === undefined) throw fail('BUNDLE_STATE_MISMATCH', `the ledger records zone ${zone} as non-empty, but the bundle does not carry it`, path);
    if (got !== after) throw fail('BUNDLE_STATE_MISMATCH', `zone state digest ${got} is not the last recorded ${after}`, path);
  }
  for (const path of paths) {
    const zone = ZONE_STATE_RE.exec(path)?.[1];
    if (zone !== undefined && (lastState.get(zone) ?? emptyZone(zone)) === emptyZone(zone)) {
      throw fail('BUNDLE_STATE_MISMATCH', `the ledger records no content for zone ${zone}`, path);
    }
    if (path.startsWith(DOCUMENTS_DIR)) {
      const d = path.slice(DOCUMENTS_DIR.length);
      if (digests.get(path) !== d) throw fail('BUNDLE_STATE_MISMATCH', 'document name is not its SHA-256', path);
      if (!isNamed(d)) throw fail('BUNDLE_STATE_MISMATCH', 'no ledger entry names this document', path);
    }
  }
  const record = files.get(RECORD_PATH);
  if (record === undefined) throw fail('BUNDLE_FILE_MISSING', 'the bundle has no IMVU record', RECORD_PATH);
  let id: unknown;
  try {
    id = (JSON.parse(fromUtf8(record)) as { id?: unknown }).id;
  } catch (cause) {
    throw fail('BUNDLE_STATE_MISMATCH', 'the record is not JSON', RECORD_PATH, cause);
  }
  if (id !== slice.head.chain) throw fail('BUNDLE_STATE_MISMATCH', `the record is for ${String(id)}, the chain for ${slice.head.chain}`, `${RECORD_PATH}#/id`);
}
