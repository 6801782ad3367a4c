import type { Gate } from '../types.js';
import { iso, verdicts } from './verdict.js';

const v = verdicts(1);

/** Tolerated clock skew for a request created "in the future", in ms. */
export const MAX_SKEW_MS = 30_000;
/** Longest validity window a request may claim, in ms: a stolen request is short-lived. */
export const MAX_LIFETIME_MS = 300_000;

/**
 * Gate 1: the actor's key is active and the request is verified, fresh and not replayed.
 * Key status is judged now, not at signing time: a revoked key cannot act even on a request
 * it signed before revocation. The one exception is `identity.register`, whose actor is by
 * definition not yet registered; there the signature itself is the proof of possession.
 */
export const identityProof: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    const { signatureValid, created, expires, replayed } = req.proof;
    const status = facts.keyStatus(req.actor);
    const evidence = {
      actor: req.actor, keyStatus: status, signature: signatureValid === true ? 'valid' : 'invalid',
      created: iso(created), expires: iso(expires), now: iso(facts.now),
    };
    const registering = req.action === 'identity.register' && status === 'unknown';
    if (status === 'revoked') return v.fail('KEY_REVOKED', evidence);
    if (status === 'rotated') return v.fail('KEY_ROTATED', evidence);
    if (status !== 'active' && !registering) return v.fail('KEY_UNKNOWN', evidence);
    if (signatureValid !== true) return v.fail('SIGNATURE_INVALID', evidence);
    if (replayed !== false) return v.fail('REQUEST_REPLAYED', evidence);
    if (!Number.isSafeInteger(created) || !Number.isSafeInteger(expires) || expires <= created) {
      return v.fail('REQUEST_WINDOW_INVALID', evidence);
    }
    if (created > facts.now + MAX_SKEW_MS) return v.fail('CLOCK_SKEW', evidence);
    if (facts.now >= expires) return v.fail('REQUEST_EXPIRED', evidence);
    if (expires - created > MAX_LIFETIME_MS) return v.fail('REQUEST_TOO_LONG_LIVED', evidence);
    return v.pass({ ...evidence, replayed: 'no', ...(registering ? { registration: 'proof-of-possession' } : {}) });
  },
};
