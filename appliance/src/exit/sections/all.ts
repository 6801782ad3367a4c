import type { PolicySources } from '../../adapters/cedar/policy-files.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Dns } from '../../ports/dns.js';
import type { DomainStore } from '../../ports/domain-store.js';
import type { Registry } from '../../ports/registry.js';
import type { BundleSection } from '../section.js';
import { dnsSection } from './dns.js';
import { ledgerSection } from './ledger.js';
import { policiesSection } from './policies.js';
import { recordSection } from './record.js';

/**
 * What the sections read from. Optional parts (DNS, later mail and compute) are absent on
 * an appliance that does not run them; their sections are then left out, not emptied.
 */
export interface SectionDeps {
  readonly ledger: Ledger;
  /** The platform's public key (did:key) the bundled trusted root names. */
  readonly platformKey: string;
  readonly registry: Registry;
  readonly policies: PolicySources;
  readonly dns?: { readonly dns: Dns; readonly store: DomainStore };
}

/**
 * The one list of an exit bundle's sections, in archive order. Each engineer adding a
 * section adds one line here; the ledger stays last so a reader meets the evidence after
 * the state it proves.
 */
export function bundleSections(deps: SectionDeps): readonly BundleSection[] {
  return [
    recordSection(deps.registry),
    ...(deps.dns === undefined ? [] : [dnsSection(deps.dns.dns, deps.dns.store)]),
    policiesSection(deps.policies),
    ledgerSection(deps.ledger, deps.platformKey),
  ];
}
