import { createsImvu } from './creating.js';
import type { GateFacts, GateRequest, Role } from './types.js';

/**
 * Classifies the actor against the target IMVU. The platform and the operator are named by
 * key; the owner is the IMVU's bound identity (or, for `imvu.create` and `imvu.import`, the identity the new
 * IMVU will be bound to); a delegate holds an owner-signed scope covering the action.
 */
export function roleOf(req: GateRequest, facts: GateFacts): Role {
  if (req.actor === facts.platform) return 'platform';
  if (facts.operators.includes(req.actor)) return 'operator';
  if (createsImvu(req.action)) return req.params?.['owner'] === req.actor ? 'owner' : 'stranger';
  if (req.imvu === undefined) return 'owner'; // self-service on one's own identity
  const imvu = facts.imvu(req.imvu);
  if (imvu === undefined) return 'stranger';
  if (imvu.owner === req.actor) return 'owner';
  const scopes = facts.delegation(imvu.id, req.actor);
  return scopes.some((s) => req.action === s || req.action.startsWith(`${s}.`)) ? 'delegate' : 'stranger';
}
