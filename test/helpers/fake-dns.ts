// In-memory stand-ins for the DNS ports, for fast tests of the services and routes. The
// real adapters (KnotDns, NodeTxtResolver) are tested against real knotd instances in
// test/appliance/dns.
import { join } from 'node:path';
import { NexusError } from '@nexus-cos/sdk';
import { SqliteDomainStore } from '../../appliance/src/adapters/sqlite/domain-store.js';
import { applyToState, parseZoneName, validateChange, type RRset } from '../../appliance/src/domain/dns/index.js';
import type { Dns, DnssecMaterial, ZoneContent } from '../../appliance/src/ports/dns.js';
import type { TxtResolver } from '../../appliance/src/ports/resolver.js';
import type { DnsDeps } from '../../appliance/src/services/index.js';
import { tempDir } from './tmp.js';

/** Zones in a map; the apex NS is what createZone was given. */
export class FakeDns implements Dns {
  readonly zones = new Map<string, { serial: number; rrsets: RRset[] }>();

  async createZone(zone: string, opts: { nameservers: readonly string[] }): Promise<void> {
    if (this.zones.has(zone)) throw new NexusError('CONFLICT', `zone ${zone} already exists`);
    this.zones.set(zone, { serial: 1, rrsets: [{ name: zone, type: 'NS', ttl: 3600, records: opts.nameservers.map((n) => `${n}.`) }] });
  }
  async applyChange(zone: string, rrsets: readonly unknown[]): Promise<{ serial: number }> {
    const z = this.#zone(zone);
    z.rrsets = [...applyToState({ zone, rrsets: z.rrsets }, validateChange(zone, rrsets)).rrsets];
    return { serial: ++z.serial };
  }
  async restore(zone: string, rrsets: readonly RRset[]): Promise<{ serial: number }> {
    const z = this.#zone(zone);
    z.rrsets = [...rrsets];
    return { serial: ++z.serial };
  }
  async readZone(zone: string): Promise<ZoneContent> {
    const z = this.#zone(zone);
    return { zone, serial: z.serial, rrsets: z.rrsets, foreign: [] };
  }
  async exportZone(zone: string): Promise<string> {
    return this.#zone(zone).rrsets.flatMap((r) => r.records.map((d) => `${r.name}. ${r.ttl} ${r.type} ${d}`)).join('\n');
  }
  async dnssec(zone: string): Promise<DnssecMaterial> {
    this.#zone(zone);
    return { dnskey: ['257 3 13 ZmFrZQ=='], ds: ['12345 13 2 ' + '00'.repeat(32)] };
  }
  async deleteZone(zone: string): Promise<void> {
    this.#zone(zone);
    this.zones.delete(zone);
  }
  #zone(zone: string) {
    const z = this.zones.get(parseZoneName(zone));
    if (z === undefined) throw new NexusError('DNS_ZONE_UNKNOWN', `no zone ${zone}`, { field: '/zone' });
    return z;
  }
}

/** TXT records by name. */
export class FakeResolver implements TxtResolver {
  readonly records = new Map<string, string[][]>();
  async txt(name: string): Promise<string[][]> {
    return this.records.get(name) ?? [];
  }
}

/** DNS deps over the fakes and a real domain store in a temp dir. */
export function fakeDnsDeps(): DnsDeps & { dns: FakeDns; resolver: FakeResolver } {
  const dir = tempDir('nexus-domains-');
  return { dns: new FakeDns(), resolver: new FakeResolver(), store: new SqliteDomainStore(join(dir, 'domains.sqlite')), zone: { nameservers: ['ns1.appliance.test'], soaEmail: 'hostmaster@appliance.test' } };
}
