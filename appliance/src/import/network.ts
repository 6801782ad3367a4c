import { NexusError, canonicalBytes, fromUtf8 } from '@nexus-cos/sdk';
import { parsePolicy, type NetworkPolicy } from '../domain/network/policy.js';
import { NETWORK_RULES_PATH } from '../exit/sections/network.js';
import { declaredDigest } from '../services/effects.js';

/** The bundle's network section: the declared policy, and the digest its notice declares. */
export interface ImportedNetwork {
  readonly policy: NetworkPolicy;
  /** SHA-256 hex of the policy's canonical JSON, as the network service declares it (gate 13). */
  readonly declared: string;
}

/** Whether `path` is the network section's one member (anything else under network/ is refused). */
export function isNetworkMember(path: string): boolean {
  return path === NETWORK_RULES_PATH;
}

/**
 * Reads `network/rules.json` when the bundle has it: exactly the body `PUT
 * /v1/imvus/:id/network` takes, checked by the same grammar (so no CIDR, port or protocol
 * reaches nft unvalidated) and in the canonical form the export writes, so nothing is
 * corrected before it is applied.
 */
export function readNetwork(files: ReadonlyMap<string, Uint8Array>): ImportedNetwork | undefined {
  const bytes = files.get(NETWORK_RULES_PATH);
  if (bytes === undefined) return undefined;
  const field = NETWORK_RULES_PATH;
  let body: unknown;
  try {
    body = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the network rules are not JSON', { field, cause });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).join() !== 'policy') {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the network rules are {"policy": {...}}', { field });
  }
  let policy: NetworkPolicy;
  try {
    policy = parsePolicy((body as { policy: unknown }).policy);
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the network policy is not one the network API takes', { field, cause });
  }
  if (Buffer.compare(Buffer.from(canonicalBytes({ policy })), Buffer.from(bytes)) !== 0) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the network rules are not in the canonical form the export writes', { field });
  }
  return { policy, declared: declaredDigest(policy) };
}
