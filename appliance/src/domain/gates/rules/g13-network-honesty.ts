import type { Gate } from '../types.js';
import { clip, param, reasonProblem, verdicts } from './verdict.js';

const v = verdicts(13);

/** A declared policy is named by the SHA-256 of its exact bytes, lower-case hex. */
const DIGEST = /^[0-9a-f]{64}$/;

/**
 * Gate 13 (no silent rerouting): a network or route change names the digest of the
 * declared policy it applies, so what runs can be checked against what was declared; a
 * route change affecting an existing IMVU also states why, and is noticed before effect.
 */
export const networkHonesty: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req) {
    if (req.action !== 'route.change' && req.action !== 'network.create') return v.fail('UNHANDLED_ACTION', { action: clip(req.action) });
    const evidence = { action: req.action, ...(req.action === 'route.change' ? { reason: clip(req.reason ?? '') } : {}) };
    if (req.action === 'route.change') {
      const problem = reasonProblem(req.reason);
      if (problem !== undefined) return v.fail(problem, evidence);
    }
    const declared = param(req.params, 'declared');
    if (declared === undefined || declared === '') return v.fail('NO_DECLARED_POLICY', { ...evidence, declared: 'none' });
    if (typeof declared !== 'string' || !DIGEST.test(declared)) return v.fail('DECLARED_POLICY_INVALID', { ...evidence, declared: clip(declared) });
    return v.pass({ ...evidence, declared, notice: 'IMVU log, before effect' });
  },
};
