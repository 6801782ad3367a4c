import { fail, isNexusError } from '../errors/index.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { PublicKey } from '../identity/public-key.js';
import { verifyEnvelope } from '../verify/envelope.js';
import { TrustedKeys } from '../verify/trust.js';
import { MANIFEST_PATH, RECORD_PATH } from './layout.js';
import { within } from './within.js';

/** The owner's keys as `imvu/record.json` names them: the owner and every key in its history. */
function ownerKeys(record: Uint8Array): PublicKey[] {
  let r: { owner?: unknown; ownerKeys?: unknown };
  try {
    r = JSON.parse(fromUtf8(record)) as typeof r;
  } catch (cause) {
    throw fail('BUNDLE_STATE_MISMATCH', 'the record is not JSON', RECORD_PATH, cause);
  }
  const dids = new Set<string>();
  if (typeof r.owner === 'string') dids.add(r.owner);
  if (Array.isArray(r.ownerKeys)) for (const k of r.ownerKeys as { did?: unknown }[]) if (typeof k?.did === 'string') dids.add(k.did);
  return [...dids].map((d) => within(RECORD_PATH, () => PublicKey.fromDid(d, '/owner')));
}

/**
 * Step 8 (spec/exit-bundle.md §3): the owner's countersignatures on the manifest. The keys
 * come from `imvu/record.json`, whose digest the platform-signed manifest lists, so a
 * signature that verifies under one is the owner's acknowledgement of this exact bundle.
 * No countersignature is not an error; a signature that names an owner key and does not
 * verify is (SIGNATURE_INVALID, naming the manifest).
 */
export function checkCountersignature(envelope: unknown, files: ReadonlyMap<string, Uint8Array>): readonly string[] {
  const record = files.get(RECORD_PATH);
  if (record === undefined) return [];
  const keys = ownerKeys(record);
  if (keys.length === 0) return [];
  try {
    return within(MANIFEST_PATH, () => verifyEnvelope(envelope, { trusted: new TrustedKeys(keys) }).signedBy);
  } catch (e) {
    if (isNexusError(e) && e.code === 'SIGNATURE_UNTRUSTED') return [];
    throw e;
  }
}
