import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError, type ImportSecrets } from '@nexus-cos/sdk';
import type { RRset } from '../domain/dns/index.js';
import { parseMailboxAddress, publishedFlags } from '../domain/mail/index.js';
import { dkimDir, removeDkimKey, writeDkimKey } from '../mail/dkim-key.js';
import type { MailDirectory } from '../ports/mail-directory.js';
import type { ImportedMail } from './mail.js';

/** Where B keeps mail: the directory, the DKIM keys Haraka signs with, the Maildirs. */
export interface MailImportDeps {
  readonly directory: MailDirectory;
  /** `<dkimDir>/<domain>/{private,selector}`. */
  readonly dkimDir: string;
  /** `<mailRoot>/<domain>/<local>/{tmp,new,cur}`. */
  readonly mailRoot: string;
}

/** A mail import's plan: the bundle's mail with the owner's opened secrets matched to it. */
interface Plan {
  readonly mail: ImportedMail;
  readonly pem: ReadonlyMap<string, string>;
  readonly credential: ReadonlyMap<string, string>;
}

const sealedDkim = (domain: string) => `secrets/mail/${domain}/dkim.pem.sealed`;

/**
 * Re-instantiates the mail section on B, undoably: the same DKIM key under the same selector,
 * each mailbox with its credential hash, each message byte for byte under its Maildir name.
 * Files first (`write`), directory rows last (`register`, inside the commit); `undo` removes
 * whatever was done, so a failed import leaves no mail behind.
 */
export class MailImport {
  readonly #done: (() => void)[] = [];
  readonly #plan: Plan;

  /** Matches the secrets to the bundle: each DKIM key must be the published one. */
  constructor(private readonly d: MailImportDeps, mail: ImportedMail, secrets: ImportSecrets | undefined) {
    const pem = new Map((secrets?.dkim ?? []).map((k) => [k.domain, k.pem]));
    const credential = new Map((secrets?.credentials ?? []).map((k) => [k.mailbox, k.credential]));
    for (const m of mail.domains) {
      const key = pem.get(m.domain);
      if (key === undefined) throw new NexusError('INPUT_INVALID', 'the import needs this DKIM key, opened with the owner\u2019s key', { field: sealedDkim(m.domain) });
      if (publicKeyOf(key, m.domain) !== m.publicKey) throw new NexusError('INPUT_INVALID', 'the DKIM key is not the one the bundle published', { field: sealedDkim(m.domain) });
    }
    for (const b of mail.mailboxes) {
      const c = credential.get(b.address);
      const local = b.address.slice(0, b.address.lastIndexOf('@'));
      if (c === undefined || !c.startsWith('scrypt$')) throw new NexusError('INPUT_INVALID', 'the import needs this mailbox\u2019s credential hash', { field: `secrets/mail/${b.domain}/${local}/credential.json.sealed` });
    }
    this.#plan = { mail, pem, credential };
  }

  /** Refuses, before any effect, a domain or mailbox B already has. */
  assertFree(): void {
    for (const m of this.#plan.mail.domains) {
      if (this.d.directory.domain(m.domain) !== undefined || existsSync(dkimDir(this.d.dkimDir, m.domain))) throw new NexusError('CONFLICT', `${m.domain} already has mail on this appliance`, { field: `mail/${m.domain}/dkim.json` });
    }
    for (const b of this.#plan.mail.mailboxes) {
      if (this.d.directory.mailbox(b.address) !== undefined || existsSync(this.#maildir(b.address))) throw new NexusError('CONFLICT', `${b.address} already exists on this appliance`, { field: `mail/${b.domain}` });
    }
  }

  /** Gate 8 on what the imported zones serve: DKIM (this selector), SPF and DMARC. */
  assertPublished(zones: readonly { zone: string; rrsets: readonly RRset[] }[]): void {
    for (const m of this.#plan.mail.domains) {
      const f = publishedFlags(m.domain, m.selector, zones.find((z) => z.zone === m.domain)?.rrsets ?? []);
      if (!f.dkim || !f.spf || !f.dmarc) throw new NexusError('GATE_MAIL_IDENTITY', `${m.domain}'s imported zone does not publish DKIM, SPF and DMARC`, { field: '/gates/8' });
    }
  }

  /** Writes the DKIM keys (0600) and every message, byte for byte. */
  write(): void {
    for (const m of this.#plan.mail.domains) {
      this.#done.push(() => removeDkimKey(this.d.dkimDir, m.domain));
      writeDkimKey(this.d.dkimDir, m.domain, { selector: m.selector, privatePem: this.#plan.pem.get(m.domain) as string, publicKey: m.publicKey });
    }
    for (const b of this.#plan.mail.mailboxes) {
      const dir = this.#maildir(b.address);
      this.#done.push(() => rmSync(dir, { recursive: true, force: true }));
      for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
      // `wx`: two members mapping to one name fail instead of overwriting each other.
      for (const x of b.messages) writeFileSync(join(dir, x.sub, x.name), x.bytes, { flag: 'wx', mode: 0o600 });
    }
  }

  /** Adds the domains (enabled, same selector) and mailboxes; the ledger append follows. */
  register(imvu: string, owner: string): void {
    for (const m of this.#plan.mail.domains) {
      this.#done.push(() => this.d.directory.removeDomain(m.domain));
      this.d.directory.addDomain(m.domain, imvu);
      this.d.directory.setEnabled(m.domain, true, m.selector);
    }
    for (const b of this.#plan.mail.mailboxes) this.d.directory.addMailbox({ address: b.address, imvu, identity: owner }, this.#plan.credential.get(b.address) as string);
  }

  /** Undoes what was done, newest first; best effort, so the import's own error is the one thrown. */
  undo(): void {
    for (const f of this.#done.reverse()) {
      try {
        f();
      } catch {
        // Keep undoing the rest.
      }
    }
  }

  /** The mailboxes imported, by address. */
  mailboxes(): string[] {
    return this.#plan.mail.mailboxes.map((b) => b.address);
  }

  #maildir(address: string): string {
    const a = parseMailboxAddress(address);
    if (a === undefined) throw new NexusError('BUNDLE_STATE_MISMATCH', 'not a canonical mailbox address', { field: `mail/${address}` });
    return join(this.d.mailRoot, dkimDir('/', a.domain).slice(1), a.local);
  }
}

function publicKeyOf(pem: string, domain: string): string {
  try {
    return createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
  } catch (cause) {
    throw new NexusError('INPUT_INVALID', 'the DKIM key is not a PEM private key', { field: sealedDkim(domain), cause });
  }
}
