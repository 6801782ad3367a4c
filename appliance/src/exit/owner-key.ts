import { NexusError, fromDidKey } from '@nexus-cos/sdk';
import type { Registry } from '../ports/registry.js';

/**
 * The owner's current Ed25519 public key, the one tenant secrets are sealed to: the key
 * the IMVU row names, followed through every rotation (as the record section does), so a
 * rotated-away key never receives a secret. `seen` guards a cycle.
 */
export function currentOwnerKey(registry: Pick<Registry, 'imvu' | 'identity'>, imvu: string): Uint8Array {
  const row = registry.imvu(imvu);
  if (row === undefined) throw new NexusError('NOT_FOUND', `no IMVU ${imvu}`, { field: '/imvu' });
  let did = row.owner;
  const seen = new Set<string>([did]);
  for (let next = registry.identity(did)?.successor; next !== undefined && !seen.has(next); next = registry.identity(next)?.successor) {
    seen.add(next);
    did = next;
  }
  return fromDidKey(did, '/owner');
}
