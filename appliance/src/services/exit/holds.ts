import { LEGAL_HOLD_MEDIA_TYPE, NexusError, type HoldStatus, type HoldView } from '@nexus-cos/sdk';
import type { GateRequest } from '../../domain/gates/types.js';
import type { NoticeDraft } from '../../gatekeeper/gatekeeper.js';
import { timestamp } from '../../ports/clock.js';
import type { LegalHoldRecord, RegistryWriter } from '../../ports/registry.js';
import type { Caller } from '../api.js';
import type { ServiceContext } from '../context.js';
import { applyEffect, auditItem, declaredDigest, type EffectItem } from '../effects.js';
import { maySee, requireImvu } from '../views.js';
import { openHold } from './hold-envelope.js';

/** A hold as the owner is shown it. */
export function holdView(h: LegalHoldRecord): HoldView {
  return { imvu: h.imvu, reason: h.reason, signedBy: h.signedBy, envelopeDigest: h.envelopeDigest, placedAt: h.placedAt };
}

/**
 * Legal holds on exit (gate 15): the only thing that can block an exit. The operator places
 * one with a LegalHold it signed; placing and lifting each leave an `exit` notice in the
 * IMVU's own chain, which the owner reads in the ledger slice and the exit bundle.
 */
export class Holds {
  constructor(private readonly x: ServiceContext) {}

  /** Places a hold; `hold` is a LegalHold envelope the caller signed for this IMVU. */
  place(c: Caller, imvu: string, hold: unknown): Promise<HoldStatus> {
    const opened = openHold(hold, c.actor, imvu);
    return this.#change(c, imvu, (r) => ({
      req: { action: 'exit.hold', ...(opened === undefined ? { params: {} } : { reason: opened.reason, params: { holdReason: opened.reason, holdEnvelopeDigest: opened.digest } }) },
      ...(r === undefined ? {} : { refusal: new NexusError('CONFLICT', `${imvu} is already held (${r.envelopeDigest})`, { field: '/hold' }) }),
      // The notice declares the signed hold itself, by digest; the envelope travels with it.
      ...(opened === undefined ? {} : { notice: this.#notice(opened.digest) }),
      write: (w, now) => {
        // Gate 15 passed, so the hold opened.
        const o = opened as NonNullable<typeof opened>;
        w.placeHold({ imvu, reason: o.reason, signedBy: c.actor, envelopeDigest: o.digest, placedAt: now });
      },
      documents: opened === undefined ? [] : [{ digest: opened.digest, mediaType: LEGAL_HOLD_MEDIA_TYPE, bytes: opened.bytes }],
    }));
  }

  /** Lifts the hold in force, with a reason. */
  release(c: Caller, imvu: string, reason: string): Promise<HoldStatus> {
    return this.#change(c, imvu, (r) => ({
      req: { action: 'exit.release', reason },
      ...(r === undefined ? { refusal: new NexusError('NOT_FOUND', `no legal hold on ${imvu}`, { field: '/hold' }) } : {}),
      notice: this.#notice(declaredDigest({ released: r?.envelopeDigest ?? null })),
      write: (w, now) => w.releaseHold(imvu, now, c.actor),
      documents: [],
    }));
  }

  /** The hold in force on `imvu`, for those who may see the IMVU. */
  shown(c: Caller, imvu: string): HoldView | undefined {
    const r = this.x.registry.imvu(imvu);
    const h = this.x.registry.legalHold(imvu);
    return r === undefined || h === undefined || !maySee(this.x.facts(), this.x.registry, c.actor, r) ? undefined : holdView(h);
  }

  // As Imvus#change: a refusal the state dictates is answered before the gates only to those
  // who may see that state; anyone else meets the gates, whose denial is logged.
  #change(c: Caller, imvu: string, plan: (held: LegalHoldRecord | undefined) => Planned): Promise<HoldStatus> {
    return this.x.serial.run(async () => {
      const r = requireImvu(this.x.registry, imvu);
      const p = plan(this.x.registry.legalHold(imvu));
      if (p.refusal !== undefined && maySee(this.x.facts(), this.x.registry, c.actor, r)) throw p.refusal;
      const admitted = await this.x.gatekeeper.admit({ ...p.req, actor: c.actor, resource: `imvu:${imvu}`, imvu, proof: c.proof }, p.notice);
      if (p.refusal !== undefined) throw p.refusal;
      const now = timestamp(this.x.clock);
      const audit = auditItem(admitted, imvu, c.actor);
      const items: EffectItem[] = [p.documents.length === 0 ? audit : { ...audit, documents: p.documents }];
      await applyEffect(this.x.registry, this.x.ledger, (w) => p.write(w, now), items);
      const h = this.x.registry.legalHold(imvu);
      return { imvu, hold: h === undefined ? null : holdView(h) };
    });
  }

  #notice(declared: string): NoticeDraft {
    return { scope: 'exit', effectiveAt: timestamp(this.x.clock), declared };
  }
}

interface Planned {
  readonly req: Pick<GateRequest, 'action'> & Partial<Pick<GateRequest, 'reason' | 'params'>>;
  readonly notice?: NoticeDraft;
  readonly refusal?: NexusError;
  readonly write: (w: RegistryWriter, now: string) => void;
  readonly documents: readonly { digest: string; mediaType: string; bytes: Uint8Array }[];
}
