import { networkNames } from '../../domain/network/names.js';
import { chains, drift, parseListing, rulesetScript, type Drift } from '../../domain/network/nft.js';
import type { NetworkPolicy } from '../../domain/network/policy.js';
import type { NetworkHost } from '../../ports/hypervisor.js';

/** Replaces the IMVU's rules with `policy`'s, then reads them back: the differences found. */
export async function applyPolicy(host: NetworkHost, imvu: string, policy: NetworkPolicy): Promise<Drift[]> {
  const names = networkNames(imvu);
  await host.applyRules(names.table, rulesetScript(names.table, chains(names.bridge, policy)));
  return policyDrift(host, imvu, policy);
}

/** What the kernel holds for the IMVU's network, compared with `policy` line by line. */
export async function policyDrift(host: NetworkHost, imvu: string, policy: NetworkPolicy): Promise<Drift[]> {
  const names = networkNames(imvu);
  return drift(chains(names.bridge, policy), parseListing(await host.listRules(names.table)));
}
