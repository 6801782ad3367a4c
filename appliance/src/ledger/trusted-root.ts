import { TRUSTED_ROOT_MEDIA_TYPE, type TrustedRoot } from '@nexus-cos/sdk';
import type { Ledger } from './ledger.js';
import { readEntry } from './read-entry.js';

/**
 * The trust root for this ledger: its origin and the platform key with its validity period.
 * The platform key comes from configuration and is never rotated (no rotation exists for
 * it yet), so its history is one open period that starts with the ledger's first entry,
 * which it signed. That entry's time is at or before its signing (a usage or revenue
 * entry carries its event's time), so the period never starts too late.
 */
export function platformTrustedRoot(ledger: Ledger, publicKey: string): TrustedRoot {
  const first = ledger.store.entry(0);
  const validFrom = first === undefined ? undefined : readEntry(first).time;
  return { mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin: ledger.origin, keys: [{ name: ledger.origin, publicKey, ...(validFrom === undefined ? {} : { validFrom }) }] };
}
