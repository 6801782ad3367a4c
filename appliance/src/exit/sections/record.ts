import { bytesSource, canonicalBytes, type BundleSource } from '@nexus-cos/sdk';
import type { Registry } from '../../ports/registry.js';
import type { BundleSection } from '../section.js';

export const IMVU_RECORD_MEDIA_TYPE = 'application/vnd.nexus-cos.imvu-record.v1+json';

/**
 * The IMVU record: the row, its consents (withdrawn ones too), and the owner's identity
 * with every key that succeeded it, and the delegations the owner signed, so the exit
 * shows who may act for the tenant.
 */
export function recordSection(registry: Registry): BundleSection {
  return {
    name: 'record',
    async *files(imvu: string): AsyncGenerator<BundleSource> {
      const row = registry.imvu(imvu);
      if (row === undefined) return;
      const keys = [];
      const seen = new Set<string>();
      // Follow rotations forward from the owner key the row names; `seen` guards a cycle.
      for (let did: string | undefined = row.owner; did !== undefined && !seen.has(did); did = registry.identity(did)?.successor) {
        seen.add(did);
        const id = registry.identity(did);
        if (id !== undefined) keys.push(id);
      }
      const record = { v: 1, ...row, consents: registry.consents(imvu), ownerKeys: keys, delegations: registry.delegations(imvu) };
      yield bytesSource('imvu/record.json', IMVU_RECORD_MEDIA_TYPE, canonicalBytes(record));
    },
  };
}
