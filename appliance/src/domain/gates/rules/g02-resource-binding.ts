import { OPERATOR_ACTIONS, isAction } from '../actions.js';
import { createsImvu } from '../creating.js';
import type { Gate } from '../types.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(2);

/**
 * What a suspended IMVU may still do: leave (an exit is never blocked, gate 15), withdraw a
 * consent (a withdrawal is always honoured, gate 10), and what the operator and the platform
 * do to it (resume it, bill it). Everything else waits for the suspension to be lifted.
 */
const WHILE_SUSPENDED: ReadonlySet<string> = new Set(['exit.start', 'consent.withdraw', 'statement.issue']);

/** The IMVU a typed resource name points into (`vm:IMVU-042/web-1` → `IMVU-042`), if it names one. */
export function resourceImvu(resource: string): string | undefined {
  return /^[a-z][a-z0-9-]*:(IMVU-[0-9]{3,12})(?:\/|$)/.exec(resource)?.[1];
}

/**
 * Gate 2: the resource belongs to an existing IMVU and the actor is bound to it: its owner,
 * a delegate holding an owner-signed scope (role.ts checked the scope), or the platform.
 * For operator actions the operator binds through their office; *whether* they may act is
 * the policy's (Cedar's) question, not this gate's. Only the owner manages delegations.
 */
export const resourceBinding: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts, role) {
    const base = { role, resource: clip(req.resource) };
    const named = resourceImvu(req.resource);
    if (createsImvu(req.action)) {
      const owner = param(req.params, 'owner');
      const evidence = { ...base, owner: clip(owner) };
      if (owner !== req.actor) return v.fail('NOT_BOUND', evidence);
      if (req.imvu !== undefined && facts.imvu(req.imvu) !== undefined) return v.fail('IMVU_EXISTS', { ...evidence, imvu: req.imvu });
      if (named !== undefined && named !== req.imvu) return v.fail('RESOURCE_MISMATCH', evidence);
      return v.pass({ ...evidence, binding: 'new IMVU bound to its creator' });
    }
    if (req.imvu === undefined) return v.fail('NO_IMVU', base);
    const imvu = facts.imvu(req.imvu);
    if (imvu === undefined) return v.fail('IMVU_UNKNOWN', { ...base, imvu: req.imvu });
    const evidence = { ...base, imvu: imvu.id, owner: imvu.owner };
    // A resource that names another IMVU than the one the request claims would bind across tenants.
    if (named !== undefined && named !== imvu.id) return v.fail('RESOURCE_MISMATCH', evidence);
    const operatorAction = isAction(req.action) && OPERATOR_ACTIONS.has(req.action);
    if (imvu.status === 'suspended' && !operatorAction && !WHILE_SUSPENDED.has(req.action)) {
      return v.fail('IMVU_SUSPENDED', { ...evidence, status: imvu.status });
    }
    if (req.action.startsWith('delegation.')) {
      return role === 'owner' ? v.pass({ ...evidence, binding: 'owner' }) : v.fail('NOT_OWNER', evidence);
    }
    if (role === 'owner') return v.pass({ ...evidence, binding: 'owner' });
    if (role === 'delegate') {
      return v.pass({ ...evidence, binding: 'delegate', scopes: clip(facts.delegation(imvu.id, req.actor).join(',')) });
    }
    if (role === 'platform') return v.pass({ ...evidence, binding: 'platform' });
    if (role === 'operator') {
      // The operator has no god mode: outside the operator actions it is bound to nothing.
      return operatorAction ? v.pass({ ...evidence, binding: 'office', role: 'operator' }) : v.fail('NOT_BOUND', evidence);
    }
    return v.fail('NO_DELEGATION', evidence);
  },
};
