import { join } from 'node:path';
import {
  TEMPFAIL, decideHeaderFrom, decideRecipient, decideSender, parseMailboxAddress, refuse, type Mailbox, type Verdict,
} from '../domain/mail/index.js';
import type { Ledger } from '../ledger/ledger.js';
import { recordUsage } from '../ledger/meter.js';
import type { Clock } from '../ports/clock.js';
import type { MailDirectory } from '../ports/mail-directory.js';
import type { ChannelReply, ChannelRequest, MeterRequest } from './channel/protocol.js';
import { verifyPassword } from './credentials.js';

/** What the authority decides with. */
export interface MailAuthorityDeps {
  readonly directory: MailDirectory;
  readonly ledger: Ledger;
  readonly clock: Clock;
  /** Maildirs live at `<mailRoot>/<domain>/<local>`. */
  readonly mailRoot: string;
}

// A hash of a random password, checked when the user does not exist, so a wrong user and a
// wrong password take the same time.
const DECOY = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const MESSAGE_ID = /^[A-Za-z0-9.-]{1,80}$/;

/**
 * The appliance side of the decision channel: every SMTP decision is the pure domain code
 * (domain/mail) over the mail directory; credentials are checked here, so the plugin never
 * sees a hash; metering is a signed ledger append that is durable before the plugin replies.
 */
export class MailAuthority {
  constructor(private readonly d: MailAuthorityDeps) {}

  async handle(r: ChannelRequest): Promise<ChannelReply> {
    switch (r.op) {
      case 'auth':
        return (await this.#auth(r.user, r.password)) ? { id: r.id, ok: true } : { id: r.id, ...refuse(535, '5.7.8', 'authentication failed') };
      case 'mail':
        return reply(r.id, decideSender(this.d.directory, r.user, r.from));
      case 'rcpt': {
        const v = decideRecipient(this.d.directory, r.user, r.to);
        const box = v.ok ? v.value.mailbox : undefined;
        return box === undefined ? reply(r.id, v) : { id: r.id, ok: true, mailbox: box.address, maildir: this.maildir(box.address) };
      }
      case 'data': {
        const v = decideHeaderFrom(this.d.directory, r.user, r.from, r.headerFrom);
        if (!v.ok) return reply(r.id, v);
        const domain = v.value.mailbox.address.slice(v.value.mailbox.address.indexOf('@') + 1);
        const selector = this.d.directory.selector(domain);
        // An enabled domain always has a selector; without one we would send unsigned mail.
        return selector === undefined ? { id: r.id, ...TEMPFAIL } : { id: r.id, ok: true, dkim: { domain, selector } };
      }
      case 'meter':
        return this.#meter(r);
    }
  }

  /** The Maildir of a canonical mailbox address (the grammar keeps it inside mailRoot). */
  maildir(address: string): string {
    const a = parseMailboxAddress(address);
    if (a === undefined) throw new TypeError('not a canonical mailbox address');
    return join(this.d.mailRoot, a.domain, a.local);
  }

  async #auth(user: string, password: string): Promise<boolean> {
    const stored = parseMailboxAddress(user) === undefined ? undefined : this.d.directory.credential(user);
    const ok = await verifyPassword(password, stored ?? DECOY);
    return ok && stored !== undefined && decideSender(this.d.directory, user, user).ok;
  }

  /** A signed `mail` entry and two usage events (messages, bytes) per attributed mailbox, durable before the reply. */
  async #meter(r: MeterRequest): Promise<ChannelReply> {
    if (!MESSAGE_ID.test(r.message) || !Number.isSafeInteger(r.bytes) || r.bytes < 0) return { id: r.id, ...refuse(554, '5.3.0', 'malformed meter request') };
    const outbound = r.user !== undefined;
    const boxes: Mailbox[] = [];
    for (const a of outbound ? [r.user as string] : r.recipients) {
      const box = this.d.directory.mailbox(a);
      if (box === undefined) return { id: r.id, ...TEMPFAIL };
      boxes.push(box);
    }
    const time = this.d.clock.now().toISOString();
    const type = outbound ? 'dev.nexus-cos.usage.mail.sent' : 'dev.nexus-cos.usage.mail.received';
    const direction = outbound ? 'outbound' : 'inbound';
    await Promise.all(boxes.flatMap((box) => [
      // The message itself, by the SHA-256 of the stored bytes: an exit proves its mailboxes against these.
      this.d.ledger.append({ kind: 'mail', imvu: box.imvu, actor: box.identity, time, direction, mailbox: box.address, message: r.sha256, size: String(r.bytes) }, `mail\n${r.message}\n${box.address}`),
      recordUsage(this.d.ledger, { imvu: box.imvu, actor: box.identity, id: `${r.message}/${box.address}/messages`, source: 'urn:nexus-cos:mail', type, subject: box.address, time, meter: 'mail.messages', quantity: 1n, unit: 'message' }),
      recordUsage(this.d.ledger, { imvu: box.imvu, actor: box.identity, id: `${r.message}/${box.address}/bytes`, source: 'urn:nexus-cos:mail', type, subject: box.address, time, meter: 'mail.bytes', quantity: BigInt(r.bytes), unit: 'byte' }),
    ]));
    return { id: r.id, ok: true };
  }
}

function reply(id: number, v: Verdict<unknown>): ChannelReply {
  return v.ok ? { id, ok: true } : { id, ...v };
}
