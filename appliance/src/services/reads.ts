import { NexusError } from '@nexus-cos/sdk';
import { MAX_LIFETIME_MS, MAX_SKEW_MS } from '../domain/gates/rules/g01-identity-proof.js';
import type { GateFacts } from '../domain/gates/types.js';
import type { Caller } from './api.js';

const refuse = (why: string): NexusError => new NexusError('GATE_IDENTITY_PROOF', `read refused: ${why}`, { field: '/headers/authorization' });

/**
 * Gate 1's rule for reads, which change nothing and so leave no decision in the ledger:
 * the signature verified, the request is fresh and not replayed, and the key is active
 * (or, where `unknownKeys` allows, not yet registered: a client may look itself up).
 */
export function assertReader(c: Caller, facts: GateFacts, unknownKeys = false): void {
  const status = facts.keyStatus(c.actor);
  if (status !== 'active' && !(unknownKeys && status === 'unknown')) throw refuse(`key is ${status}`);
  const { signatureValid, created, expires, replayed } = c.proof;
  if (!signatureValid) throw refuse('signature invalid');
  if (replayed) throw refuse('replayed');
  if (!Number.isSafeInteger(created) || !Number.isSafeInteger(expires) || expires <= created) throw refuse('invalid window');
  if (created > facts.now + MAX_SKEW_MS) throw refuse('created in the future');
  if (facts.now >= expires) throw refuse('expired');
  if (expires - created > MAX_LIFETIME_MS) throw refuse('too long-lived');
}
