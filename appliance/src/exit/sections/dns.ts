import { bytesSource, canonicalBytes, utf8, type BundleSource } from '@nexus-cos/sdk';
import { ZONE_STATE_MEDIA_TYPE, stateBytes } from '../../domain/dns/index.js';
import type { Dns } from '../../ports/dns.js';
import type { DomainStore } from '../../ports/domain-store.js';
import type { LedgerStore } from '../../ports/ledger-store.js';
import { readEntry } from '../../ledger/read-entry.js';
import type { BundleSection, ExportAnchor } from '../section.js';

/**
 * Each zone's state document as of the anchor: the one its last `dns_change` at or before
 * the anchored head names. A change made while an export streams is past the anchor, so it
 * is left for the next export instead of making state.json disagree with the chain.
 */
function statesAt(ledger: Pick<LedgerStore, 'chain' | 'document'>, imvu: string, anchor: ExportAnchor): Map<string, Uint8Array | undefined> {
  const last = new Map<string, string>();
  for (const e of ledger.chain(imvu, 0, Number(anchor.head.seq))) {
    const entry = readEntry(e);
    if (entry.kind === 'dns_change') last.set(entry.zone, entry.after);
  }
  return new Map([...last].map(([zone, digest]) => [zone, ledger.document(digest)?.bytes]));
}

/**
 * Each bound zone: the master file knotd exports (signed records included), its DNSKEY/DS,
 * and the zone state whose digest the last `dns_change` entry up to the anchor records, which
 * the verifier checks against the ledger (the master file is knotd's at export time).
 * Transfer authorizations travel as ledger documents.
 */
export function dnsSection(dns: Dns, store: DomainStore, ledger?: Pick<LedgerStore, 'chain' | 'document'>): BundleSection {
  return {
    name: 'dns',
    async *files(imvu: string, anchor?: ExportAnchor): AsyncGenerator<BundleSource> {
      const pinned = anchor === undefined || ledger === undefined ? undefined : statesAt(ledger, imvu, anchor);
      for (const b of store.domainsOf(imvu)) {
        // Bound after the anchor: its first dns_change is not in this export's chain.
        if (pinned !== undefined && !pinned.has(b.domain)) continue;
        const dir = `dns/${b.domain}`;
        yield bytesSource(`${dir}/zone.txt`, 'text/dns', utf8(await dns.exportZone(b.domain)));
        const sec = await dns.dnssec(b.domain);
        yield bytesSource(`${dir}/dnssec.json`, 'application/json', canonicalBytes({ dnskey: [...sec.dnskey], ds: [...sec.ds] }));
        yield bytesSource(`${dir}/state.json`, ZONE_STATE_MEDIA_TYPE, pinned?.get(b.domain) ?? stateBytes({ zone: b.domain, rrsets: b.rrsets }));
      }
    },
  };
}
