import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { NexusError } from '@nexus-cos/sdk';
import type { MailDomain, Mailbox } from '../../domain/mail/index.js';
import type { MailDirectory } from '../../ports/mail-directory.js';

interface DomainRow { domain: string; imvu: string; enabled: number; selector: string | null }
interface MailboxRow { address: string; imvu: string; identity: string }

/**
 * The mail directory in its own SQLite file, mode 0600 because it holds credential hashes.
 * Addresses and domains arrive canonical (domain/mail/address.ts); primary keys make a
 * second binding of the same name a CONFLICT.
 */
export class SqliteMailDirectory implements MailDirectory {
  readonly #db: Database.Database;
  readonly #q: Record<'domain' | 'mailbox' | 'credential' | 'mailboxes' | 'addDomain' | 'setEnabled' | 'addMailbox', Database.Statement>;

  constructor(path: string) {
    this.#db = new Database(path);
    if (path !== ':memory:') chmodSync(path, 0o600);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS mail_domains (domain TEXT PRIMARY KEY, imvu TEXT NOT NULL, enabled INTEGER NOT NULL, selector TEXT) STRICT;
      CREATE TABLE IF NOT EXISTS mailboxes (address TEXT PRIMARY KEY, imvu TEXT NOT NULL, identity TEXT NOT NULL, credential TEXT NOT NULL) STRICT;`);
    this.#q = {
      domain: this.#db.prepare('SELECT domain, imvu, enabled, selector FROM mail_domains WHERE domain = ?'),
      mailbox: this.#db.prepare('SELECT address, imvu, identity FROM mailboxes WHERE address = ?'),
      credential: this.#db.prepare('SELECT credential FROM mailboxes WHERE address = ?'),
      mailboxes: this.#db.prepare('SELECT address, imvu, identity FROM mailboxes WHERE imvu = ? ORDER BY address'),
      addDomain: this.#db.prepare('INSERT INTO mail_domains (domain, imvu, enabled) VALUES (?, ?, 0)'),
      setEnabled: this.#db.prepare('UPDATE mail_domains SET enabled = ?, selector = ? WHERE domain = ?'),
      addMailbox: this.#db.prepare('INSERT INTO mailboxes (address, imvu, identity, credential) VALUES (?, ?, ?, ?)'),
    };
  }

  domain(name: string): MailDomain | undefined {
    const r = this.#q.domain.get(name) as DomainRow | undefined;
    return r === undefined ? undefined : { domain: r.domain, imvu: r.imvu, enabled: r.enabled === 1 };
  }

  selector(domain: string): string | undefined {
    return (this.#q.domain.get(domain) as DomainRow | undefined)?.selector ?? undefined;
  }

  mailbox(address: string): Mailbox | undefined {
    const r = this.#q.mailbox.get(address) as MailboxRow | undefined;
    return r === undefined ? undefined : { ...r };
  }

  credential(address: string): string | undefined {
    return (this.#q.credential.get(address) as { credential: string } | undefined)?.credential;
  }

  mailboxes(imvu: string): Mailbox[] {
    return (this.#q.mailboxes.all(imvu) as MailboxRow[]).map((r) => ({ ...r }));
  }

  addDomain(domain: string, imvu: string): void {
    unique(() => this.#q.addDomain.run(domain, imvu), `${domain} is already bound for mail`);
  }

  setEnabled(domain: string, enabled: boolean, selector?: string): void {
    const r = this.#q.setEnabled.run(enabled ? 1 : 0, selector ?? null, domain);
    if (r.changes !== 1) throw new NexusError('NOT_FOUND', `${domain} is not bound for mail`, { field: '/domain' });
  }

  addMailbox(m: Mailbox, credential: string): void {
    unique(() => this.#q.addMailbox.run(m.address, m.imvu, m.identity, credential), `${m.address} already exists`);
  }

  removeDomain(domain: string): void {
    // A domain's mailboxes are `local@domain`: both go in one transaction.
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM mailboxes WHERE substr(address, -length(?) - 1) = ?').run(domain, `@${domain}`);
      this.#db.prepare('DELETE FROM mail_domains WHERE domain = ?').run(domain);
    })();
  }

  close(): void {
    this.#db.close();
  }
}

/** Runs an insert, turning a primary-key clash into CONFLICT. */
function unique(run: () => unknown, message: string): void {
  try {
    run();
  } catch (cause) {
    if ((cause as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new NexusError('CONFLICT', message, { cause });
    throw cause;
  }
}
