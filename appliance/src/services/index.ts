import { createFacts } from './facts.js';
import { Identities } from './identities.js';
import { Domains, type DnsDeps } from './domains.js';
import { MailService, type MailDeps } from './mail.js';
import { Imvus } from './imvus.js';
import { LedgerReads } from './ledger-read.js';
import { Serial } from './serial.js';
import type { ServiceContext } from './context.js';
import { createCompute, type ComputeDeps } from './compute/index.js';
import { Exits, Holds } from './exit/index.js';
import type { BundleSection } from '../exit/section.js';
import { EvidenceReads } from '../import/evidence.js';
import { Importer } from '../import/importer.js';
import { importMailDeps } from '../import/mail-deps.js';
import { importComputeDeps } from '../import/compute-deps.js';
import type { PolicySources } from '../adapters/cedar/policy-files.js';

/**
 * What the services are built from (the composition root's concrete adapters): the
 * service context less what createServices derives (the facts and the queue). The
 * gatekeeper must judge with the same facts: build it with `createFacts` over the same
 * deps, or `() => services.facts()`.
 */
export type ServicesDeps = Omit<ServiceContext, 'facts' | 'serial'> & {
  /** Gate 4: is a signing meter attached to this resource? (default: none is) */
  readonly meters?: (resource: string) => boolean;
  /** DNS (Knot, the domain store, the public resolvers); without it there are no domain routes. */
  readonly dns?: DnsDeps;
  /** Compute and networks (issue 8): without them the appliance runs no VMs. */
  readonly compute?: ComputeDeps;
  /** Mail (issue 7): needs `dns`, since enabling mail publishes its records through it. */
  readonly mail?: MailDeps;
  /** The exit bundle's sections (exit/sections/all.ts); without them there is no exit route. */
  readonly exitSections?: readonly BundleSection[];
  /** The Cedar files in force: an import compares the bundle's policies with them. */
  readonly policies?: PolicySources;
  /** Where an import stages the bundle's body and VM disks (default: the OS temp dir). */
  readonly importStaging?: string;
};

/**
 * The application services over one ledger, gatekeeper and registry. All mutations share
 * one queue, so each is judged and applied against state no other change can alter midway.
 */
export function createServices(deps: ServicesDeps) {
  const dns = deps.dns;
  // A VM's meter is attached while its creation is judged and stored with it after (gate 4);
  // every DNS change is metered (dns.rrsets), so a domain has its meter once DNS is wired.
  const pendingMeters = new Set<string>();
  const store = deps.compute?.store;
  const meters = (r: string): boolean =>
    (deps.meters?.(r) ?? false) || pendingMeters.has(r) || store?.cursor(r) !== undefined || (dns !== undefined && r.startsWith('domain:'))
    // Every message is metered (mail.messages, mail.bytes) by the decision channel.
    || (mailService !== undefined && (r.startsWith('mail:') || r.startsWith('mailbox:')));
  let mailService: MailService | undefined;
  const facts = createFacts({
    ...deps, platform: deps.platform.publicKey.id, meters,
    ...(dns === undefined ? {} : { domains: (imvu: string, now: string) => dns.store.verifiedFor(imvu, now) }),
    mail: (imvu: string) => mailService?.facts(imvu) ?? { mailReadyDomains: [], mailboxes: [] },
  });
  const ctx = { ...deps, facts, serial: new Serial() };
  const compute = deps.compute === undefined ? undefined : createCompute(ctx, deps.compute, pendingMeters);
  const domains = dns === undefined ? undefined : new Domains(ctx, dns);
  if (deps.mail !== undefined && domains !== undefined && dns !== undefined) mailService = new MailService(ctx, deps.mail, domains, dns.store);
  const holds = new Holds(ctx);
  const exits = deps.exitSections === undefined ? undefined : new Exits(ctx, deps.exitSections, holds);
  return {
    identities: new Identities(ctx), imvus: new Imvus(ctx), ledgerRead: new LedgerReads(ctx), domains, mail: mailService, facts, compute, holds, exits,
    imports: new Importer(ctx, dns, deps.policies, importMailDeps(deps.mail), importComputeDeps(deps.compute, compute), deps.importStaging), evidence: new EvidenceReads(ctx),
  };
}

/** The services as createServices builds them. */
export type Services = ReturnType<typeof createServices>;

export { createFacts, type FactsDeps } from './facts.js';
export { DEFAULT_QUOTAS } from './imvus.js';
export type { Caller, IdentityService, ImvuService, LedgerReadService, RegisterIdentity, CreateImvu } from './api.js';
export { Domains, type DnsDeps } from './domains.js';
export { recoverZones, type Recovery } from './dns-state.js';
export { MailService, type MailDeps } from './mail.js';
