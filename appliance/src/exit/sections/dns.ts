import { bytesSource, canonicalBytes, utf8, type BundleSource } from '@nexus-cos/sdk';
import { ZONE_STATE_MEDIA_TYPE, stateBytes } from '../../domain/dns/index.js';
import type { Dns } from '../../ports/dns.js';
import type { DomainStore } from '../../ports/domain-store.js';
import type { BundleSection } from '../section.js';

/**
 * Each bound zone: the master file knotd exports (signed records included), its DNSKEY/DS,
 * and the zone state whose digest the last `dns_change` entry records, which the verifier
 * checks against the ledger. Transfer authorizations travel as ledger documents.
 */
export function dnsSection(dns: Dns, store: DomainStore): BundleSection {
  return {
    name: 'dns',
    async *files(imvu: string): AsyncGenerator<BundleSource> {
      for (const b of store.domainsOf(imvu)) {
        const dir = `dns/${b.domain}`;
        yield bytesSource(`${dir}/zone.txt`, 'text/dns', utf8(await dns.exportZone(b.domain)));
        const sec = await dns.dnssec(b.domain);
        yield bytesSource(`${dir}/dnssec.json`, 'application/json', canonicalBytes({ dnskey: [...sec.dnskey], ds: [...sec.ds] }));
        yield bytesSource(`${dir}/state.json`, ZONE_STATE_MEDIA_TYPE, stateBytes({ zone: b.domain, rrsets: b.rrsets }));
      }
    },
  };
}
