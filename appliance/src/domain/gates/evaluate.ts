import { GATE_NAMES, type GateDecision, type GateResult } from '@nexus-cos/sdk';
import type { AuthzAnswer, AuthzRequest } from '../../ports/authorizer.js';
import { gatesFor, isAction } from './actions.js';
import { roleOf } from './role.js';
import type { Gate, GateFacts, GateRequest, Role } from './types.js';

/** The gates' verdicts for one request, before authorization. */
export interface GateRun {
  readonly role: Role;
  readonly results: GateResult[];
  readonly failed: number[];
}

/**
 * Runs every gate, in ascending order, and records all seventeen: applicable ones judge,
 * the others are recorded as not_applicable, so a reader of the decision sees every gate
 * was considered. A gate that throws fails closed.
 */
export function runGates(req: GateRequest, facts: GateFacts, gates: readonly Gate[]): GateRun {
  const role = roleOf(req, facts);
  const applicable = new Set(isAction(req.action) ? gatesFor(req.action) : []);
  const results = gates.map((g): GateResult => {
    if (!applicable.has(g.id)) return { gate: g.id, name: GATE_NAMES[g.id] as GateResult['name'], result: 'not_applicable', evidence: {} };
    try {
      return g.evaluate(req, facts, role);
    } catch (e) {
      return { gate: g.id, name: GATE_NAMES[g.id] as GateResult['name'], result: 'fail', code: 'GATE_ERROR', evidence: { error: e instanceof Error ? e.message.slice(0, 200) : 'error' } };
    }
  });
  return { role, results, failed: results.filter((r) => r.result === 'fail').map((r) => r.gate) };
}

/** The authorization question for a gate run. */
export function authzRequest(req: GateRequest, run: GateRun): AuthzRequest {
  const gates: Record<string, GateResult['result']> = {};
  for (const r of run.results) gates[String(r.gate)] = r.result;
  return {
    actor: req.actor, role: run.role, action: req.action, resource: req.resource,
    ...(req.imvu === undefined ? {} : { imvu: req.imvu }), gates, hasReason: (req.reason ?? '').trim().length > 0,
  };
}

/** The unsigned decision record: allow only when no gate failed and the policy allowed. */
export function decide(req: GateRequest, run: GateRun, authz: AuthzAnswer, policyDigest: string, now: number): GateDecision {
  const allow = run.failed.length === 0 && authz.decision === 'allow' && authz.errors.length === 0;
  return {
    action: req.action,
    actor: req.actor,
    resource: req.resource,
    ...(req.imvu === undefined ? {} : { imvu: req.imvu }),
    results: run.results,
    decision: allow ? 'allow' : 'deny',
    policyDigest,
    deciders: ['nexus-cos/gates@v1', ...authz.policies.map((p) => `cedar:${p}`)].slice(0, 16),
    time: new Date(now).toISOString(),
  };
}
