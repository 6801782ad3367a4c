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
import { mailSection, type MailSectionDeps } from './mail.js';
import { computeSection, type ComputeSectionDeps } from './compute.js';
import { networkSection } from './network.js';
import { dnssecKeysSection } from './dnssec-keys.js';

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
  /** Mail: present when the appliance serves mail for bound domains. */
  readonly mail?: MailSectionDeps;
  /** Compute and network: present only when `config.compute` is set. */
  readonly compute?: ComputeSectionDeps & { readonly store: ComputeSectionDeps['store'] & Parameters<typeof networkSection>[0] };
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
    ...(deps.dns === undefined ? [] : [dnssecKeysSection(deps.dns.dns, deps.dns.store, deps.registry)]),
    ...(deps.mail === undefined ? [] : [mailSection(deps.mail)]),
    ...(deps.compute === undefined ? [] : [computeSection(deps.compute)]),
    ...(deps.compute === undefined ? [] : [networkSection(deps.compute.store)]),
    policiesSection(deps.policies),
    ledgerSection(deps.ledger, deps.platformKey),
  ];
}
