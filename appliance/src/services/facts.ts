import type { GateFacts, ImvuFacts } from '../domain/gates/types.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Clock } from '../ports/clock.js';
import type { ImvuRecord, Registry } from '../ports/registry.js';

/** Where the gates' facts come from: the registry, the ledger's health and configuration. */
export interface FactsDeps {
  readonly registry: Registry;
  readonly ledger: Ledger;
  /** did:key of the platform key. */
  readonly platform: string;
  readonly operators: readonly string[];
  /** Storage pool name to its jurisdiction tag (gate 14). */
  readonly storagePools: Readonly<Record<string, string>>;
  readonly clock: Clock;
  /** Gate 4: whether a signing meter is attached to a resource (none until compute lands). */
  readonly meters?: (resource: string) => boolean;
  /** Gates 6 and 7: domains bound to the IMVU or with a verified, unexpired claim (none without DNS). */
  readonly domains?: (imvu: string, now: string) => readonly string[];
  /** Gate 8: mail-ready domains and mailboxes of an IMVU (none without mail). */
  readonly mail?: (imvu: string) => { readonly mailReadyDomains: readonly string[]; readonly mailboxes: readonly string[] };
}

/** The active consents of an IMVU: granted and not withdrawn. */
export function activePurposes(registry: Registry, imvu: string): string[] {
  return registry.consents(imvu).filter((c) => c.withdrawnAt === undefined).map((c) => c.purpose);
}

function imvuFacts(registry: Registry, r: ImvuRecord, verifiedDomains: readonly string[], mail: { readonly mailReadyDomains: readonly string[]; readonly mailboxes: readonly string[] }): ImvuFacts {
  // Gate 15 shows the owner the signed reason of a hold in force.
  const h = registry.legalHold(r.id);
  const legalHold = h === undefined ? {} : { legalHold: { reason: h.reason, signedBy: h.signedBy, envelopeDigest: h.envelopeDigest } };
  return { id: r.id, owner: r.owner, jurisdiction: r.jurisdiction, status: r.status, consents: activePurposes(registry, r.id), verifiedDomains, ...mail, ...legalHold };
}

function ledgerHealthy(ledger: Ledger): boolean {
  try {
    ledger.assertWritable();
    return true;
  } catch {
    return false;
  }
}

/**
 * A GateFacts snapshot builder. The time and the ledger's health are read once per snapshot;
 * registry lookups happen when a gate asks, so each request reads only what its gates need.
 * The platform and operator keys come from configuration and are active whatever the
 * registry holds (the registry refuses to hold them, see identities.ts).
 */
export function createFacts(d: FactsDeps): () => GateFacts {
  const configured = new Set([d.platform, ...d.operators]);
  const pools = d.storagePools;
  return () => {
    const at = d.clock.now();
    return {
      now: at.getTime(),
      platform: d.platform,
      operators: d.operators,
      // Configured keys are the platform's and the operators': configuration, not the tenant
      // registry, decides their status, so no registry record can shadow them.
      keyStatus: (did) => (configured.has(did) ? 'active' : d.registry.identity(did)?.status ?? 'unknown'),
      imvu: (id) => {
        const r = d.registry.imvu(id);
        return r === undefined ? undefined : imvuFacts(d.registry, r, d.domains?.(id, at.toISOString()) ?? [], d.mail?.(id) ?? { mailReadyDomains: [], mailboxes: [] });
      },
      delegation: (imvu, delegate) => d.registry.delegation(imvu, delegate),
      ledgerHealthy: ledgerHealthy(d.ledger),
      meterAttached: (resource) => d.meters?.(resource) ?? false,
      storageJurisdiction: (pool) => (Object.hasOwn(pools, pool) ? pools[pool] : undefined),
    };
  };
}
