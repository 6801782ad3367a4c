// A small IMVU chain on a real ledger (no services), exported through the real builder:
// for the verifier checks that need chains the HTTP world does not make.
import { bytesSource, canonicalBytes } from '@nexus-cos/sdk';
import { buildExitBundle } from '../../../appliance/src/exit/builder.js';
import type { BundleSection } from '../../../appliance/src/exit/section.js';
import { ledgerSection } from '../../../appliance/src/exit/sections/ledger.js';
import type { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { owner, platform } from '../../helpers/ledger.js';

export const IMVU = 'IMVU-042';

/** The record the verifier requires; the statement check reads the owner's keys from it. */
const record: BundleSection = {
  name: 'record',
  async *files() {
    yield bytesSource('imvu/record.json', 'application/json', canonicalBytes({ v: 1, id: IMVU, owner: owner.publicKey.id, ownerKeys: [{ did: owner.publicKey.id }] }));
  },
};

/** The exit bundle of IMVU in `ledger`, created at `now`. */
export async function bundleOf(ledger: Ledger, now = new Date()): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of buildExitBundle({ ledger, platform, sections: [ledgerSection(ledger, platform.publicKey.id), record] }, IMVU, now)) chunks.push(c);
  return Buffer.concat(chunks);
}
