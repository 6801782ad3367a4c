import { NexusError, isNexusError, type ImportSecrets } from '@nexus-cos/sdk';
import type { Dns, DnssecKeyExport } from '../ports/dns.js';
import { sealedKeysPath, type ImportedDnssec } from './dnssec.js';

/** What the report says of each zone's keys: A's kept (same DS), or new ones (a new DS is needed). */
export interface ZoneKeysOutcome {
  readonly zone: string;
  readonly keys: 'kept' | 'new';
  readonly ds: string[];
}

/**
 * Re-instantiates each zone's DNSSEC keys on B, undoably. A zone whose bundle seals its keys
 * MUST get them: importing it with new keys would leave A's DS at the parent pointing at a key
 * B never signs with, and validating resolvers would call the zone bogus, an outage no report
 * line undoes. So the keys' absence is refused (naming the sealed member) before any effect;
 * only a bundle that carries no keys (its server could not export them) gets new ones, and
 * the report names the new DS. Keys go into the key store before knotd serves the zone
 * (`place`); once it serves, B's DNSKEY and DS must be exactly those A published (`check`).
 */
export class DnssecImport {
  readonly #keys = new Map<string, DnssecKeyExport[]>();
  readonly #placed: string[] = [];

  constructor(private readonly dns: Dns, private readonly d: ImportedDnssec, secrets: ImportSecrets | undefined) {
    const given = new Map((secrets?.dnssec ?? []).map((z) => [z.zone, z.keys]));
    for (const zone of given.keys()) {
      if (!d.sealed.includes(zone)) throw new NexusError('INPUT_INVALID', `the secrets hold keys of ${zone}, which the bundle does not seal`, { field: sealedKeysPath(zone) });
    }
    for (const zone of d.sealed) {
      const keys = given.get(zone);
      if (keys === undefined) throw new NexusError('INPUT_INVALID', 'the import needs this zone\u2019s DNSSEC keys, opened with the owner\u2019s key, or the DS at the parent would break', { field: sealedKeysPath(zone) });
      if (dns.importDnssecKeys === undefined || dns.removeDnssecKeys === undefined) throw new NexusError('IMPORT_SECTION_UNSUPPORTED', 'this DNS server cannot import DNSSEC keys; nothing was imported', { field: sealedKeysPath(zone) });
      if (!keys.some((k) => k.ksk)) throw new NexusError('INPUT_INVALID', 'the zone\u2019s keys hold no key-signing key', { field: sealedKeysPath(zone) });
      this.#keys.set(zone, keys.map((k) => ({ ...k, timers: Object.fromEntries(Object.entries(k.timers).filter((e): e is [string, number] => e[1] !== undefined)) })));
    }
  }

  /** Puts the zone's keys in the key store, before the zone is created. */
  async place(zone: string): Promise<void> {
    const keys = this.#keys.get(zone);
    if (keys === undefined) return;
    try {
      await this.dns.importDnssecKeys?.(zone, keys);
    } catch (e) {
      // A CONFLICT is refused before any key is stored: the keys there are not ours to remove.
      if (!(isNexusError(e) && e.code === 'CONFLICT')) this.#placed.push(zone);
      throw new NexusError(isNexusError(e) ? e.code : 'DNS_BACKEND_FAILED', `${zone}'s DNSSEC keys could not be imported`, { field: sealedKeysPath(zone), cause: e });
    }
    this.#placed.push(zone);
  }

  /** Once the zone is served: the DNSKEY and DS B serves are the ones A published, or the import fails. */
  async check(zone: string): Promise<ZoneKeysOutcome> {
    const served = await this.dns.dnssec(zone);
    const ds = [...served.ds].sort();
    if (!this.#keys.has(zone)) return { zone, keys: 'new', ds };
    const published = this.d.published.get(zone);
    const same = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
    if (published === undefined || !same(served.dnskey, published.dnskey) || !same(served.ds, published.ds)) {
      throw new NexusError('DNS_DRIFT', `${zone} is not signed under the DS it published`, { field: `dns/${zone}/dnssec.json` });
    }
    return { zone, keys: 'kept', ds };
  }

  /** Removes the keys this import stored, after its zones were deleted (best effort: the import's own error is the one thrown). */
  async undo(): Promise<void> {
    for (const zone of this.#placed.reverse()) await this.dns.removeDnssecKeys?.(zone, (this.#keys.get(zone) ?? []).map((k) => k.id)).catch(() => undefined);
  }
}
