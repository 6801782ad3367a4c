import type { MailLookup, Mailbox } from '../domain/mail/index.js';

/**
 * The mail directory: domains bound for mail, mailboxes and their credential hashes. It
 * never holds a password, only `scrypt$…` strings (appliance/src/mail/credentials.ts).
 */
export interface MailDirectory extends MailLookup {
  /** Binds `domain` to an IMVU for mail, not yet enabled. CONFLICT if another IMVU holds it. */
  addDomain(domain: string, imvu: string): void;
  /** Marks a domain enabled (its DKIM key and records are published) or not. */
  setEnabled(domain: string, enabled: boolean, selector?: string): void;
  /** The DKIM selector of an enabled domain. */
  selector(domain: string): string | undefined;
  /** Adds a mailbox with its credential hash. CONFLICT if the address exists. */
  addMailbox(mailbox: Mailbox, credential: string): void;
  /** The stored credential hash of a mailbox. */
  credential(address: string): string | undefined;
  /** Removes a domain and its mailboxes (undo of a failed import). */
  removeDomain(domain: string): void;
  /** Every mailbox of an IMVU, by address. */
  mailboxes(imvu: string): Mailbox[];
}
