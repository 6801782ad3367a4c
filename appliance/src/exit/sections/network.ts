import { bytesSource, canonicalBytes, type BundleSource } from '@nexus-cos/sdk';
import type { ComputeStore } from '../../ports/compute-store.js';
import type { BundleSection } from '../section.js';

export const NETWORK_RULES_PATH = 'network/rules.json';

/**
 * `network/rules.json`: the IMVU's declared network policy exactly as `PUT
 * /v1/imvus/:id/network` takes it (`{"policy": {...}}`), so an importer declares it again
 * as is. Absent when the IMVU never declared a network.
 */
export function networkSection(store: Pick<ComputeStore, 'network'>): BundleSection {
  return {
    name: 'network',
    async *files(imvu: string): AsyncGenerator<BundleSource> {
      const n = store.network(imvu);
      if (n === undefined) return;
      yield bytesSource(NETWORK_RULES_PATH, 'application/json', canonicalBytes({ policy: n.policy }));
    },
  };
}
