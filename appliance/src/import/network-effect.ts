import { NexusError } from '@nexus-cos/sdk';
import { networkNames, type NetworkNames } from '../domain/network/names.js';
import { networkXml } from '../domain/network/xml.js';
import { NETWORK_RULES_PATH } from '../exit/sections/network.js';
import type { ComputeWriter } from '../ports/compute-store.js';
import { Undo, type ComputeDeps } from '../services/compute/deps.js';
import { applyPolicy } from '../services/compute/rules.js';
import type { EffectItem } from '../services/effects.js';
import type { ImportedNetwork } from './network.js';

/** What a network import drives: B's network host and the store the Networks service reads. */
export type NetworkImportDeps = Pick<ComputeDeps, 'networks' | 'store'>;

/** Why B's chain says the network took effect: the owner declared it on A, the import carried it. */
const REASON = 'network policy imported from the exit bundle';

/**
 * Re-creates the IMVU's isolated network and its declared rules on B, undoably, as the
 * Networks service declares them: before the commit the libvirt network is ensured and the
 * rules applied, read back from the kernel and compared (`NETWORK_DRIFT`); inside the commit
 * the network record (`register`) and its gate 13 notice (`items`). VMs imported after it
 * join it (`name`), exactly as `vm.create` attaches VMs once the network exists.
 */
export class NetworkImport {
  readonly #undo = new Undo();
  readonly #names: NetworkNames;

  constructor(private readonly d: NetworkImportDeps, private readonly imvu: string, private readonly net: ImportedNetwork) {
    // Every name that reaches virsh and nft derives from the IMVU id, checked by its grammar
    // here; an id beyond the address plan is refused naming the section that needs it.
    try {
      this.#names = networkNames(imvu);
    } catch (cause) {
      throw new NexusError('INPUT_INVALID', `${imvu} has no network in this appliance's address plan`, { field: NETWORK_RULES_PATH, cause });
    }
  }

  /** The libvirt network the imported VMs join. */
  get name(): string {
    return this.#names.network;
  }

  /** Refuses, before any effect, a network or rule table B has already (an import never adopts one). */
  async assertFree(): Promise<void> {
    const n = this.#names;
    const taken = this.d.store.network(this.imvu) !== undefined || (await this.d.networks.networkExists(n.network)) || (await this.d.networks.listRules(n.table)) !== '';
    if (taken) throw new NexusError('CONFLICT', `a network ${n.network} or rule table ${n.table} already exists on this appliance`, { field: NETWORK_RULES_PATH });
  }

  /** Creates the network and applies the rules, then proves them by reading them back; undone by `undo`. */
  async write(): Promise<void> {
    const n = this.#names;
    this.#undo.push(() => this.d.networks.removeNetwork(n.network));
    await this.d.networks.ensureNetwork(n.network, networkXml(n));
    this.#undo.push(() => this.d.networks.removeRules(n.table));
    const found = await applyPolicy(this.d.networks, this.imvu, this.net.policy);
    if (found.length > 0) throw new NexusError('NETWORK_DRIFT', `the rules read back differ from those imported: ${found.length} difference(s)`, { field: NETWORK_RULES_PATH });
  }

  /** The network record, exactly as the Networks service stores a declaration. */
  register(w: ComputeWriter, at: string): void {
    w.putNetwork({ imvu: this.imvu, policy: this.net.policy, declared: this.net.declared, updatedAt: at });
  }

  /** The gate 13 notice of the policy now in force on B, as a declaration writes it. */
  items(actor: string, at: string): EffectItem[] {
    return [{ draft: { kind: 'notice', imvu: this.imvu, actor, scope: 'network', reason: REASON, effectiveAt: at, declared: this.net.declared } }];
  }

  /** Removes the rules and the network, newest first. */
  undo(): Promise<void> {
    return this.#undo.run();
  }
}
