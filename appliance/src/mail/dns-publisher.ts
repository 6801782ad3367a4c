import type { Dns } from '../ports/dns.js';
import type { MailDnsPublisher, RRsetKey } from '../ports/mail-dns.js';
import type { RRset, RRsetChange } from '../domain/dns/types.js';

/**
 * Mail records straight through a Dns port (the zone is the domain's own). Tests use it
 * with the real Knot adapter; the composition root may instead route publish through the
 * gated DNS service so gate 7 judges the change.
 */
export class DnsPortPublisher implements MailDnsPublisher {
  constructor(private readonly dns: Dns) {}

  async read(domain: string, keys: readonly RRsetKey[]): Promise<RRset[]> {
    const zone = await this.dns.readZone(domain);
    return zone.rrsets.filter((r) => keys.some((k) => k.name === r.name && k.type === r.type));
  }

  async publish(domain: string, changes: readonly RRsetChange[]): Promise<void> {
    await this.dns.applyChange(domain, changes);
  }
}
