import { NexusError } from '@nexus-cos/sdk';
import { parseZoneName, type RRset, type RRsetChange } from '../domain/dns/index.js';
import type { Mailbox } from '../domain/mail/index.js';
import { MailProvisioning } from '../mail/provisioning.js';
import type { MailDirectory } from '../ports/mail-directory.js';
import type { MailDnsPublisher, RRsetKey } from '../ports/mail-dns.js';
import type { Caller } from './api.js';
import type { ServiceContext } from './context.js';
import type { Domains } from './domains.js';
import type { DomainStore } from '../ports/domain-store.js';
import { auditItem } from './effects.js';

/** What the gated mail service works with, besides the shared service context. */
export interface MailDeps {
  readonly directory: MailDirectory;
  /** Where the Haraka plugin reads DKIM keys. */
  readonly dkimDir: string;
  /** The MX host published for every domain (the appliance's own name). */
  readonly mxHost: string;
  /** `<domain>/<local>/{tmp,new,cur}` per mailbox: where an import writes messages (no mail import without it). */
  readonly maildirs?: string;
}

/**
 * Mail behind the gatekeeper. Enabling mail publishes MX, SPF, DKIM and DMARC through the
 * gated DNS service (each change judged by gate 7 and recorded as a dns_change), then asks
 * gate 8 about what is served; creating a mailbox is judged by gate 8 on an enabled domain.
 */
export class MailService {
  constructor(private readonly x: ServiceContext, private readonly m: MailDeps, private readonly domains: Domains, private readonly store: DomainStore) {}

  /** Facts for gates 6–8: mail-ready domains and mailboxes of an IMVU. */
  facts(imvu: string): { mailReadyDomains: string[]; mailboxes: string[] } {
    const ready = this.store.domainsOf(imvu).map((d) => d.domain).filter((d) => this.m.directory.domain(d)?.enabled === true);
    return { mailReadyDomains: ready, mailboxes: this.m.directory.mailboxes(imvu).map((b) => b.address) };
  }

  async enable(c: Caller, imvu: string, domainIn: string): Promise<{ domain: string; selector: string }> {
    const domain = parseZoneName(domainIn, '/domain');
    const bound = this.store.domain(domain);
    if (bound === undefined || bound.imvu !== imvu) {
      // Nothing to publish into: the gates refuse (and log) it as mail.enable.
      await this.x.serial.run(() => this.x.gatekeeper.admit({ action: 'mail.enable', actor: c.actor, resource: `mail:${imvu}/${domain}`, imvu, proof: c.proof, params: { domain, published: { dkim: false, spf: false, dmarc: false } } }));
      throw new NexusError('NOT_FOUND', `${domain} is not bound to ${imvu}`, { field: '/domain' });
    }
    // Bound by gate 6; mail binds it in its own directory too.
    if (this.m.directory.domain(domain) === undefined) this.m.directory.addDomain(domain, imvu);
    const provisioning = new MailProvisioning({ directory: this.m.directory, dns: this.#publisher(c, imvu), clock: this.x.clock, dkimDir: this.m.dkimDir, mxHost: this.m.mxHost });
    const { selector } = await provisioning.enable(imvu, c.actor, domain, async (published) => {
      await this.x.serial.run(async () => {
        const admitted = await this.x.gatekeeper.admit({ action: 'mail.enable', actor: c.actor, resource: `mail:${imvu}/${domain}`, imvu, proof: c.proof, params: { domain, published } });
        await this.x.ledger.appendMany([auditItem(admitted, imvu, c.actor)]);
      });
    });
    return { domain, selector };
  }

  async createMailbox(c: Caller, imvu: string, address: string, password: string): Promise<Mailbox> {
    const r = this.x.registry.imvu(imvu);
    if (r === undefined) throw new NexusError('NOT_FOUND', `no IMVU ${imvu}`, { field: '/id' });
    return this.x.serial.run(async () => {
      const admitted = await this.x.gatekeeper.admit({
        action: 'mailbox.create', actor: c.actor, resource: `mailbox:${imvu}/${address}`, imvu, proof: c.proof, storagePool: r.storagePool, params: { address },
      });
      const provisioning = new MailProvisioning({ directory: this.m.directory, dns: this.#publisher(c, imvu), clock: this.x.clock, dkimDir: this.m.dkimDir, mxHost: this.m.mxHost });
      const box = await provisioning.createMailbox(imvu, c.actor, address, password);
      await this.x.ledger.appendMany([auditItem(admitted, imvu, c.actor)]);
      return box;
    });
  }

  /** Mail's records go through the gated DNS service, as the owner who asked. */
  #publisher(c: Caller, imvu: string): MailDnsPublisher {
    const domains = this.domains;
    const store = this.store;
    return {
      async read(domain: string, keys: readonly RRsetKey[]): Promise<RRset[]> {
        const b = store.domain(domain);
        if (b === undefined) return [];
        // Gate 8 judges what knotd serves, not only what was recorded: the two must agree
        // (a zone that drifted is refused, as a DNS change refuses it), and then the
        // recorded RRsets are exactly the served ones.
        const check = await domains.drift(c, imvu, domain);
        if (check.status !== 'ok') throw new NexusError('DNS_DRIFT', `${domain} does not serve its recorded state (${check.status}); reconcile it first`, { field: '/domain' });
        return b.rrsets.filter((r) => keys.some((k) => k.name === r.name && k.type === r.type));
      },
      async publish(domain: string, changes: readonly RRsetChange[]): Promise<void> {
        await domains.change(c, imvu, domain, changes);
      },
    };
  }
}
