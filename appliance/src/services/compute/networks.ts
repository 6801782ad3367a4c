import { NexusError } from '@nexus-cos/sdk';
import { networkNames } from '../../domain/network/names.js';
import type { Drift } from '../../domain/network/nft.js';
import { parsePolicy } from '../../domain/network/policy.js';
import { networkXml } from '../../domain/network/xml.js';
import { timestamp } from '../../ports/clock.js';
import type { NetworkRecord } from '../../ports/compute-store.js';
import type { Caller } from '../api.js';
import { auditItem, declaredDigest } from '../effects.js';
import { assertReader } from '../reads.js';
import { assertMaySee, requireImvu } from '../views.js';
import type { ComputeContext } from './deps.js';
import { applyPolicy, policyDrift } from './rules.js';

/** What a network check found: the declared policy's digest and every difference from it. */
export interface NetworkCheck {
  readonly imvu: string;
  readonly declared: string;
  readonly drift: readonly Drift[];
}

/**
 * Each IMVU's one isolated network and its declared rules (gate 13). A declaration is
 * judged, noticed in the IMVU's log, applied, read back from the kernel and compared with
 * what was declared; only a match is recorded. The owner declares (`network.create`); the
 * operator may change it only with a reason (`route.change`), noticed the same way.
 */
export class Networks {
  constructor(private readonly x: ComputeContext) {}

  declare(c: Caller, imvu: string, body: { readonly policy: unknown; readonly reason?: string }, action: 'network.create' | 'route.change' = 'network.create'): Promise<NetworkRecord> {
    return this.x.serial.run(async () => {
      const policy = parsePolicy(body.policy);
      requireImvu(this.x.registry, imvu);
      const names = networkNames(imvu);
      const declared = declaredDigest(policy);
      // A notice needs a reason; an owner's own declaration is its reason. An operator's
      // change (route.change) must state one, or gate 13 refuses it.
      const reason = body.reason ?? (action === 'network.create' ? 'network policy declared by the IMVU' : undefined);
      const admitted = await this.x.gatekeeper.admit(
        { action, actor: c.actor, resource: `network:${imvu}/lan`, imvu, proof: c.proof, ...(reason === undefined ? {} : { reason }), params: { declared } },
        { scope: 'network', effectiveAt: timestamp(this.x.clock), declared },
      );
      const before = this.x.store.network(imvu);
      const record: NetworkRecord = { imvu, policy, declared, updatedAt: timestamp(this.x.clock) };
      // A first declaration that fails must not leave the libvirt network it made behind.
      const made = before === undefined && !(await this.x.networks.networkExists(names.network));
      try {
        await this.x.networks.ensureNetwork(names.network, networkXml(names));
        const found = await applyPolicy(this.x.networks, imvu, policy);
        if (found.length > 0) throw new NexusError('NETWORK_DRIFT', `the rules read back differ from those declared: ${found.length} difference(s)`, { field: '/policy' });
        await this.x.store.change((w) => w.putNetwork(record), () => this.x.ledger.appendMany([auditItem(admitted, imvu, c.actor)]));
      } catch (e) {
        // Back to what was in force (and recorded) before: the previous rules, or none.
        if (before === undefined) await this.x.networks.removeRules(names.table).catch(() => undefined);
        else await applyPolicy(this.x.networks, imvu, before.policy).catch(() => undefined);
        if (made) await this.x.networks.removeNetwork(names.network).catch(() => undefined);
        throw e;
      }
      return record;
    });
  }

  /** Reads the rules the kernel holds and compares them with the declared policy. */
  async check(c: Caller, imvu: string): Promise<NetworkCheck> {
    const facts = this.x.facts();
    assertReader(c, facts);
    assertMaySee(facts, this.x.registry, c.actor, requireImvu(this.x.registry, imvu));
    const n = this.x.store.network(imvu);
    if (n === undefined) throw new NexusError('NOT_FOUND', `${imvu} has no network`, { field: '/imvu' });
    return { imvu, declared: n.declared, drift: await policyDrift(this.x.networks, imvu, n.policy) };
  }
}
