import type { Gate } from '../types.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(16);

/** Who may sign a key change: the key being replaced, or a registered recovery key. */
export const KEY_CHANGE_SIGNERS: ReadonlySet<string> = new Set(['old', 'recovery']);

/**
 * Gate 16: a rotation, revocation or new recovery key is signed by the old key or a
 * recovery key, verified by the service before this gate reads the outcome; and a key that
 * is no longer active cannot act, so it cannot rotate itself back to life.
 */
export const keyLifecycle: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    const status = facts.keyStatus(req.actor);
    const signedBy = param(req.params, 'signedBy');
    const evidence = { actor: req.actor, keyStatus: status, signedBy: clip(signedBy) };
    if (status === 'revoked') return v.fail('KEY_REVOKED', evidence);
    if (status !== 'active') return v.fail('KEY_NOT_ACTIVE', evidence);
    const signed = typeof signedBy === 'string' && KEY_CHANGE_SIGNERS.has(signedBy) && param(req.params, 'signatureValid') === true;
    return signed ? v.pass({ ...evidence, signature: 'valid' }) : v.fail('ROTATION_UNSIGNED', evidence);
  },
};
