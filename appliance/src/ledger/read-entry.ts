import { fromBase64, fromUtf8, type LedgerEntry } from '@nexus-cos/sdk';
import type { StoredEntry } from '../ports/ledger-store.js';

/**
 * The payload of an entry from the appliance's own store, already verified at start-up
 * (gate 5) or signed by this process: parsed without re-verifying each signature, which
 * would cost a verification per entry on every statement.
 */
export function readEntry(e: StoredEntry): LedgerEntry {
  const env = JSON.parse(fromUtf8(e.bytes)) as { payload: string };
  return JSON.parse(fromUtf8(fromBase64(env.payload))) as LedgerEntry;
}
