import { NexusError } from '@nexus-cos/sdk';
import { normalizeName } from '../domain/gates/rules/names.js';
import { formatAddress, judgeGate8, mailRecords, parseMailboxAddress, publishedFlags, undoChange, type Mailbox, type MailFacts } from '../domain/mail/index.js';
import type { Clock } from '../ports/clock.js';
import type { MailDirectory } from '../ports/mail-directory.js';
import type { MailDnsPublisher } from '../ports/mail-dns.js';
import { hashPassword } from './credentials.js';
import { generateDkimKey, removeDkimKey, writeDkimKey } from './dkim-key.js';

/** What enabling mail and creating mailboxes work with. */
export interface MailProvisioningDeps {
  readonly directory: MailDirectory;
  readonly dns: MailDnsPublisher;
  readonly clock: Clock;
  /** Where the Haraka plugin reads DKIM keys (`<dkimDir>/<domain>/private`). */
  readonly dkimDir: string;
  /** The MX host published for every domain. */
  readonly mxHost: string;
}

/**
 * Enabling mail for a domain and creating its mailboxes. Each judges with gate 8's own
 * rule (domain/mail/identity.ts); the gated services (mail.enable, mailbox.create) run the
 * gatekeeper first and then call these for the effect.
 */
export class MailProvisioning {
  constructor(private readonly d: MailProvisioningDeps) {}

  /**
   * DKIM key, then the MX/SPF/DKIM/DMARC records, then `enabled`: in that order, so no
   * mailbox accepts mail before its records are served. A failure undoes the earlier steps.
   */
  /**
   * `admit`, when given, is the gatekeeper's judgement of mail.enable on what is served (the
   * gated service passes it); without it gate 8's rule is applied here directly.
   */
  async enable(imvu: string, identity: string, rawDomain: string, admit?: (published: ReturnType<typeof publishedFlags>) => Promise<void>): Promise<{ selector: string }> {
    const domain = this.#boundDomain(imvu, rawDomain);
    if (this.d.directory.domain(domain)?.enabled === true) throw new NexusError('CONFLICT', `mail is already enabled for ${domain}`, { field: '/domain' });
    const key = await generateDkimKey(this.d.clock.now());
    const apex = await this.d.dns.read(domain, [{ name: domain, type: 'TXT' }]);
    const rrsets = mailRecords({ domain, mxHost: this.d.mxHost, selector: key.selector, publicKey: key.publicKey, keyType: 'rsa', apexTxt: apex[0]?.records ?? [] });
    const before = await this.d.dns.read(domain, rrsets);
    writeDkimKey(this.d.dkimDir, domain, key);
    let published = false;
    try {
      await this.d.dns.publish(domain, rrsets);
      published = true;
      // Gate 8 judges what is served now, not what we meant to publish.
      const served = await this.d.dns.read(domain, rrsets);
      const flags = publishedFlags(domain, key.selector, served);
      if (admit !== undefined) await admit(flags);
      else {
        const facts: MailFacts = { imvu, identity, verifiedDomains: [domain], mailReadyDomains: [], mailboxes: [] };
        const verdict = judgeGate8('mail.enable', facts, { domain, published: flags });
        if (verdict.result !== 'pass') throw new NexusError('GATE_MAIL_IDENTITY', `gate 8 refused mail.enable: ${verdict.code ?? ''}`, { field: '/gates/8' });
      }
      this.d.directory.setEnabled(domain, true, key.selector);
    } catch (e) {
      if (published) await this.d.dns.publish(domain, undoChange(before, rrsets));
      removeDkimKey(this.d.dkimDir, domain);
      throw e;
    }
    return { selector: key.selector };
  }

  /** A mailbox on an enabled domain of the IMVU, its password stored only as a scrypt hash. */
  async createMailbox(imvu: string, identity: string, address: string, password: string): Promise<Mailbox> {
    const a = parseMailboxAddress(address);
    if (a === undefined) throw new NexusError('INPUT_INVALID', 'a mailbox address is lower-case local@domain without +, quotes or spaces', { field: '/address' });
    if (password.length < 12 || password.length > 1024) throw new NexusError('INPUT_INVALID', 'a password has 12 to 1024 characters', { field: '/password' });
    const d = this.d.directory.domain(a.domain);
    const mine = d !== undefined && d.imvu === imvu;
    const facts: MailFacts = { imvu, identity, verifiedDomains: mine ? [a.domain] : [], mailReadyDomains: mine && d.enabled ? [a.domain] : [], mailboxes: [] };
    const verdict = judgeGate8('mailbox.create', facts, { address: formatAddress(a) });
    if (verdict.result !== 'pass') throw new NexusError('GATE_MAIL_IDENTITY', `gate 8 refused mailbox.create: ${verdict.code ?? ''}`, { field: '/gates/8' });
    const box: Mailbox = { address: formatAddress(a), imvu, identity };
    this.d.directory.addMailbox(box, await hashPassword(password));
    return box;
  }

  #boundDomain(imvu: string, raw: string): string {
    const domain = normalizeName(raw);
    if (domain === undefined || domain.includes('*')) throw new NexusError('INPUT_INVALID', 'not a domain name', { field: '/domain' });
    const d = this.d.directory.domain(domain);
    if (d === undefined || d.imvu !== imvu) throw new NexusError('GATE_MAIL_IDENTITY', `${domain} is not bound to ${imvu}`, { field: '/gates/8' });
    return domain;
  }
}
