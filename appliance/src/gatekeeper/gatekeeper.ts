import {
  GATE_DECISION_MEDIA_TYPE,
  NexusError,
  canonicalBytes,
  sha256,
  signJsonSync,
  toHex,
  type Envelope,
  type ErrorCode,
  type GateDecision,
  type SyncSigner,
} from '@nexus-cos/sdk';
import { authzRequest, decide, runGates } from '../domain/gates/evaluate.js';
import { isAction } from '../domain/gates/actions.js';
import type { Gate, GateFacts, GateRequest } from '../domain/gates/types.js';
import type { Ledger } from '../ledger/ledger.js';
import type { EntryDraft, Receipt } from '../ledger/types.js';
import type { Clock } from '../ports/clock.js';
import type { Authorizer } from '../ports/authorizer.js';

/** A notice the action declares before it takes effect (gates 12 and 13). */
export interface NoticeDraft {
  readonly scope: 'quota' | 'network' | 'priority' | 'exit';
  readonly effectiveAt: string;
  /** SHA-256 hex of the declared quota set or network policy now in force (for a hold: its signed envelope). */
  readonly declared: string;
}

/** What an admitted action carries on to its effect. */
export interface Admitted {
  readonly decision: GateDecision;
  readonly envelope: Envelope;
  readonly receipts: readonly Receipt[];
}

/** Wiring of the gatekeeper: everything it judges with and writes to. */
export interface GatekeeperDeps {
  readonly ledger: Ledger;
  readonly signer: SyncSigner;
  readonly authorizer: Authorizer;
  readonly gates: readonly Gate[];
  readonly gateCodes: Readonly<Record<number, ErrorCode>>;
  readonly facts: () => GateFacts;
  readonly clock: Clock;
}

/**
 * The one door every mutating action passes, the operator's and the platform's included.
 * It runs the gates and the policy, signs the decision with the platform key (gate 17) and
 * makes it durable in the ledger (gate 11) before anything is acknowledged: an allowed
 * action returns only once its decision (and its notice, for gates 12 and 13) is on disk;
 * a denied one is logged, then refused with the failing gate's code.
 */
export class Gatekeeper {
  constructor(private readonly deps: GatekeeperDeps) {}

  async admit(req: GateRequest, notice?: NoticeDraft): Promise<Admitted> {
    const { ledger, signer, authorizer, gates, clock } = this.deps;
    const facts = this.deps.facts();
    const run = runGates(req, facts, gates);
    const authz = isAction(req.action)
      ? authorizer.authorize(authzRequest(req, run))
      : { decision: 'deny' as const, policies: [], errors: ['unknown action'] };
    const decision = decide(req, run, authz, authorizer.policyDigest, clock.now().getTime());
    const envelope = signJsonSync(GATE_DECISION_MEDIA_TYPE, decision, [signer]);
    const bytes = canonicalBytes(envelope);
    const digest = toHex(sha256(bytes));
    // A decision goes in the IMVU's own log when the actor proved who they are (gate 1) and is
    // bound to it (gate 2: owner, delegate, the operator in office, the platform); every other
    // decision goes in the platform's log, so strangers and replays cannot grow a tenant's
    // chain (and exit bundle), nor open chains for IMVUs that do not exist.
    const bound = !run.failed.includes(1) && !run.failed.includes(2);
    const imvu = bound && req.imvu !== undefined && facts.imvu(req.imvu) !== undefined ? req.imvu : null;
    const items: { draft: EntryDraft; documents?: { digest: string; mediaType: string; bytes: Uint8Array }[] }[] = [{
      draft: { kind: 'gate_decision', imvu, actor: req.actor, action: req.action, decision: decision.decision, failed: run.failed, digest },
      documents: [{ digest, mediaType: GATE_DECISION_MEDIA_TYPE, bytes }],
    }];
    if (decision.decision === 'allow' && notice !== undefined && imvu !== null) {
      items.push({ draft: { kind: 'notice', imvu, actor: req.actor, scope: notice.scope, reason: (req.reason ?? '').trim(), effectiveAt: notice.effectiveAt, declared: notice.declared } });
    }
    let receipts: Receipt[];
    try {
      receipts = await ledger.appendMany(items);
    } catch (cause) {
      // A refusal stands even when it cannot be logged (gate 5 down); an allowance without
      // a durable record is no allowance at all (gate 11).
      if (decision.decision === 'deny') throw this.#refusal(run.failed, authz.errors, req.action);
      throw new NexusError('GATE_AUDIT', 'the decision could not be made durable; the action did not take effect', { cause, field: '/gates/11' });
    }
    if (decision.decision === 'deny') throw this.#refusal(run.failed, authz.errors, req.action);
    return { decision, envelope, receipts };
  }

  #refusal(failed: readonly number[], errors: readonly string[], action: string): NexusError {
    const first = failed[0];
    if (first !== undefined) {
      const code = this.deps.gateCodes[first] ?? 'POLICY_DENIED';
      return new NexusError(code, `gate ${first} refused ${action}`, { field: `/gates/${first}` });
    }
    if (!isAction(action)) return new NexusError('UNKNOWN_ACTION', `no such action: ${action}`, { field: '/action' });
    return new NexusError('POLICY_DENIED', `policy does not permit ${action}${errors.length > 0 ? ` (${errors.join('; ')})` : ''}`, { field: '/actor' });
  }
}
