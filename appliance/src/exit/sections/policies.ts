import { bytesSource, canonicalBytes, utf8, type BundleSource } from '@nexus-cos/sdk';
import type { PolicySources } from '../../adapters/cedar/policy-files.js';
import { ACTIONS, ALWAYS } from '../../domain/gates/actions.js';
import type { BundleSection } from '../section.js';

/**
 * The rules the IMVU lived under: the action table (which gates each action passes) and
 * the Cedar schema and policies in force. Rate cards are signed documents, so they travel
 * with the ledger entries that name them.
 */
export function policiesSection(cedar: PolicySources): BundleSection {
  return {
    name: 'policies',
    async *files(): AsyncGenerator<BundleSource> {
      yield bytesSource('policies/actions.json', 'application/json', canonicalBytes({ v: 1, always: ALWAYS, actions: ACTIONS }));
      for (const f of [cedar.schema, ...cedar.policies]) yield bytesSource(`policies/cedar/${f.name}`, 'text/plain', utf8(f.text));
    },
  };
}
