import { SEALED_MEDIA_TYPE, bytesSource, canonicalBytes, sealToOwner, type BundleSource } from '@nexus-cos/sdk';
import type { Dns } from '../../ports/dns.js';
import type { DomainStore } from '../../ports/domain-store.js';
import type { Registry } from '../../ports/registry.js';
import { currentOwnerKey } from '../owner-key.js';
import type { BundleSection } from '../section.js';

/** The sealed member of a zone's DNSSEC private keys. */
export const dnssecKeysPath = (zone: string): string => `secrets/dns/${zone}/keys.json.sealed`;

/**
 * Each bound zone's DNSSEC private keys, sealed to the owner: `{"v":1,"zone","keys":[...]}`
 * with each key's id, tag, algorithm, size, KSK/ZSK role, timers and PEM, which is what
 * `keymgr <zone> import-pem <pem> algorithm=… ksk=… publish=… …` needs on another server
 * to sign with the same keys, so the DS at the parent stays valid. Absent when the DNS
 * server cannot export keys.
 */
export function dnssecKeysSection(dns: Dns, store: Pick<DomainStore, 'domainsOf'>, registry: Pick<Registry, 'imvu' | 'identity'>): BundleSection {
  return {
    name: 'dnssec-keys',
    async *files(imvu: string): AsyncGenerator<BundleSource> {
      if (dns.dnssecKeys === undefined) return;
      const zones = store.domainsOf(imvu).map((b) => b.domain);
      if (zones.length === 0) return;
      const owner = currentOwnerKey(registry, imvu);
      for (const zone of zones) {
        const keys = await dns.dnssecKeys(zone);
        const path = dnssecKeysPath(zone);
        yield bytesSource(path, SEALED_MEDIA_TYPE, sealToOwner(canonicalBytes({ v: 1, zone, keys }), path, owner));
      }
    },
  };
}
