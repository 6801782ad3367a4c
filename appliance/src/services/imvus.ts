import { NexusError, type Imvu } from '@nexus-cos/sdk';
import { storageCompatible } from '../domain/gates/rules/jurisdiction.js';
import type { GateRequest } from '../domain/gates/types.js';
import type { Admitted, NoticeDraft } from '../gatekeeper/gatekeeper.js';
import { timestamp } from '../ports/clock.js';
import type { ImvuRecord, RegistryWriter } from '../ports/registry.js';
import type { Caller, CreateImvu, ImvuService } from './api.js';
import type { ServiceContext } from './context.js';
import { applyEffect, auditItem, consentItem, declaredDigest, type EffectItem } from './effects.js';
import { assertReader } from './reads.js';
import { assertMaySee, imvuView, maySee, requireImvu } from './views.js';

/** What a new IMVU gets, and the most an owner may ask for without the operator. */
export const DEFAULT_QUOTAS: Imvu['quotas'] = Object.freeze({ vcpus: 4, memoryMiB: 8192, diskGiB: 100, vms: 4 });

type Quotas = Imvu['quotas'];

/** IMVUs: lifecycle and consents, each change admitted by the gatekeeper first. */
export class Imvus implements ImvuService {
  constructor(private readonly x: ServiceContext) {}

  create(c: Caller, body: CreateImvu): Promise<Imvu> {
    return this.x.serial.run(async () => {
      const quotas = { ...(body.quotas ?? DEFAULT_QUOTAS) };
      for (const [k, v] of Object.entries(quotas) as [keyof Quotas, number][]) {
        if (v > DEFAULT_QUOTAS[k]) throw new NexusError('INPUT_INVALID', `${k} above ${DEFAULT_QUOTAS[k]} needs the operator (quota.change)`, { field: `/quotas/${k}` });
      }
      const pool = body.storagePool ?? this.#defaultPool(body.jurisdiction);
      const id = this.x.registry.nextImvuId();
      const admitted = await this.x.gatekeeper.admit({
        action: 'imvu.create', actor: c.actor, resource: `imvu:${id}`, imvu: id, proof: c.proof, jurisdiction: body.jurisdiction,
        ...(pool === undefined ? {} : { storagePool: pool }), params: { owner: c.actor, consents: [...body.consents] },
      });
      // Gate 14 passed, so a pool was named and is tagged compatibly.
      const record: ImvuRecord = { id, owner: c.actor, jurisdiction: body.jurisdiction, status: 'active', quotas, storagePool: pool ?? '', createdAt: timestamp(this.x.clock) };
      const items = [auditItem(admitted, id, c.actor), ...body.consents.map((p) => consentItem(id, c.actor, 'grant', p))];
      await applyEffect(this.x.registry, this.x.ledger, (w) => {
        w.insertImvu(record);
        for (const purpose of body.consents) w.grantConsent({ imvu: id, purpose, grantedBy: c.actor, grantedAt: record.createdAt });
      }, items);
      return this.#view(id);
    });
  }

  get(c: Caller, id: string): Imvu {
    const facts = this.x.facts();
    assertReader(c, facts);
    const r = requireImvu(this.x.registry, id);
    assertMaySee(facts, this.x.registry, c.actor, r);
    return imvuView(this.x.registry, r);
  }

  /** The operator and the platform see every IMVU; anyone else those they own or are delegated. */
  list(c: Caller): Imvu[] {
    const facts = this.x.facts();
    assertReader(c, facts);
    const all = c.actor === facts.platform || facts.operators.includes(c.actor);
    return (all ? this.x.registry.imvus() : this.x.registry.imvusVisibleTo(c.actor)).map((r) => imvuView(this.x.registry, r));
  }

  update(c: Caller, id: string, patch: { readonly jurisdiction?: string }): Promise<Imvu> {
    return this.#change(c, id, (r) => ({
      // Gate 14 judges the new tag against the pool the IMVU's data is in, and logs a refusal.
      req: { action: 'imvu.update', storagePool: r.storagePool, ...(patch.jurisdiction === undefined ? {} : { jurisdiction: patch.jurisdiction }) },
      write: (w) => w.updateImvu(id, patch.jurisdiction === undefined ? {} : { jurisdiction: patch.jurisdiction }),
    }));
  }

  suspend(c: Caller, id: string, reason: string): Promise<Imvu> {
    return this.#status(c, id, reason, 'active', 'suspended', 'imvu.suspend');
  }

  resume(c: Caller, id: string, reason: string): Promise<Imvu> {
    return this.#status(c, id, reason, 'suspended', 'active', 'imvu.resume');
  }

  changeQuota(c: Caller, id: string, quotas: Quotas, reason: string): Promise<Imvu> {
    return this.#change(c, id, () => ({
      req: { action: 'quota.change', reason, params: { quota: { ...quotas } } },
      notice: this.#notice('quota', quotas),
      write: (w) => w.updateImvu(id, { quotas: { ...quotas } }),
    }));
  }

  grantConsent(c: Caller, id: string, purpose: string): Promise<Imvu> {
    return this.#change(c, id, () => ({
      req: { action: 'consent.grant', params: { purpose } },
      // Granting a purpose already granted is allowed and changes nothing.
      apply: () => this.#active(id, purpose) === undefined,
      write: (w) => w.grantConsent({ imvu: id, purpose, grantedBy: c.actor, grantedAt: timestamp(this.x.clock) }),
      items: [consentItem(id, c.actor, 'grant', purpose)],
    }));
  }

  withdrawConsent(c: Caller, id: string, purpose: string): Promise<Imvu> {
    return this.#change(c, id, () => ({
      req: { action: 'consent.withdraw', params: { purpose } },
      apply: () => {
        if (this.#active(id, purpose) === undefined) throw new NexusError('NOT_FOUND', `no active consent for ${purpose}`, { field: '/purpose' });
        return true;
      },
      write: (w) => w.withdrawConsent(id, purpose, timestamp(this.x.clock)),
      items: [consentItem(id, c.actor, 'withdraw', purpose, this.#active(id, purpose) ?? c.actor)],
    }));
  }

  #status(c: Caller, id: string, reason: string, from: ImvuRecord['status'], to: ImvuRecord['status'], action: string): Promise<Imvu> {
    return this.#change(c, id, (r) => ({
      req: { action, reason },
      ...(r.status === from ? {} : { refusal: new NexusError('CONFLICT', `${id} is ${r.status}, not ${from}`, { field: '/status' }) }),
      notice: this.#notice('priority', { status: to }),
      write: (w) => w.updateImvu(id, { status: to }),
    }));
  }

  /**
   * One admitted change to an existing IMVU: `plan` says what to ask and write; then the
   * gatekeeper; then (if `apply` says there is anything to do) the registry writes with the
   * audit entry and `items`, atomically. A planned refusal (a conflict with the current
   * state) is answered before the gates, so it leaves no decision or notice for an effect
   * that cannot happen, but only to callers who may see that state; anyone else meets the
   * gates, whose denial is logged.
   */
  #change(c: Caller, id: string, plan: (r: ImvuRecord) => Planned): Promise<Imvu> {
    return this.x.serial.run(async () => {
      const r = requireImvu(this.x.registry, id);
      const p = plan(r);
      if (p.refusal !== undefined && maySee(this.x.facts(), this.x.registry, c.actor, r)) throw p.refusal;
      const admitted: Admitted = await this.x.gatekeeper.admit({ ...p.req, actor: c.actor, resource: `imvu:${id}`, imvu: id, proof: c.proof }, p.notice);
      if (p.refusal !== undefined) throw p.refusal;
      if (p.apply?.() ?? true) {
        await applyEffect(this.x.registry, this.x.ledger, p.write, [auditItem(admitted, id, c.actor), ...(p.items ?? [])]);
      }
      return this.#view(id);
    });
  }

  #notice(scope: NoticeDraft['scope'], declared: unknown): NoticeDraft {
    return { scope, effectiveAt: timestamp(this.x.clock), declared: declaredDigest(declared) };
  }

  /** The granter of the active consent for `purpose`, if there is one. */
  #active(id: string, purpose: string): string | undefined {
    return this.x.registry.consents(id).find((k) => k.purpose === purpose && k.withdrawnAt === undefined)?.grantedBy;
  }

  /** The first pool (by name) whose tag can hold data of `jurisdiction` (gate 14). */
  #defaultPool(jurisdiction: string): string | undefined {
    return Object.keys(this.x.storagePools).sort().find((p) => storageCompatible(this.x.storagePools[p] ?? '', jurisdiction));
  }

  #view(id: string): Imvu {
    return imvuView(this.x.registry, requireImvu(this.x.registry, id));
  }
}

/** What one change to an IMVU asks the gatekeeper and, if admitted, writes. */
interface Planned {
  readonly req: Pick<GateRequest, 'action'> & Partial<Pick<GateRequest, 'reason' | 'jurisdiction' | 'params'>>;
  readonly notice?: NoticeDraft;
  /** The current state forbids the change (answered before the gates to those who may see it). */
  readonly refusal?: NexusError;
  readonly apply?: () => boolean;
  readonly write: (w: RegistryWriter) => void;
  readonly items?: readonly EffectItem[];
}
