import { formatAddress, recipientMailbox, splitAddress } from './address.js';
import type { Mailbox, MailLookup } from './directory.js';
import { sendBound } from './identity.js';
import { accept, refuse, type Verdict } from './reply.js';

/**
 * The SMTP decisions of spec/mail.md, pure over a MailLookup. The plugin asks them in
 * order: sender (MAIL FROM), each recipient (RCPT TO), then the header From (after DATA).
 * `user` is the authenticated mailbox, or undefined for an unauthenticated (inbound) session.
 */

/** The sending mailbox of an authenticated session, if it still exists on an enabled domain. */
function sendingMailbox(look: MailLookup, user: string): Mailbox | undefined {
  const box = look.mailbox(user);
  if (box === undefined) return undefined;
  const domain = look.domain(box.address.slice(box.address.lastIndexOf('@') + 1));
  return domain?.enabled === true && domain.imvu === box.imvu ? box : undefined;
}

/** MAIL FROM. `mailFrom` is the reverse-path without brackets, '' for the null sender. */
export function decideSender(look: MailLookup, user: string | undefined, mailFrom: string): Verdict<{ mailbox?: Mailbox }> {
  if (user === undefined) {
    // Bounces come with the null sender and must be deliverable (RFC 5321 §4.5.5).
    if (mailFrom === '') return accept({});
    const a = splitAddress(mailFrom);
    if (a === undefined) return refuse(553, '5.1.7', 'sender address syntax is not accepted here');
    // Nobody outside may claim one of our domains: they must authenticate as the mailbox.
    if (look.domain(a.domain) !== undefined) return refuse(530, '5.7.0', `authentication required to send as ${formatAddress(a)}`);
    return accept({});
  }
  const box = sendingMailbox(look, user);
  if (box === undefined) return refuse(550, '5.7.1', 'the authenticated mailbox cannot send');
  if (mailFrom === '') return refuse(553, '5.7.1', 'the null sender is not available to mailboxes');
  if (splitAddress(mailFrom) === undefined) return refuse(553, '5.1.7', 'sender address syntax is not accepted here');
  if (!sendBound(box, mailFrom, box.address)) return refuse(553, '5.7.1', `sender is not bound to the authenticated mailbox ${box.address}`);
  return accept({ mailbox: box });
}

/** RCPT TO. Authenticated sessions relay anywhere; others reach only our existing mailboxes. */
export function decideRecipient(look: MailLookup, user: string | undefined, rcpt: string): Verdict<{ mailbox?: Mailbox }> {
  const a = splitAddress(rcpt);
  if (a === undefined) return refuse(553, '5.1.3', 'recipient address syntax is not accepted here');
  const local = look.domain(a.domain);
  if (user !== undefined && local === undefined) return accept({});
  if (local === undefined) return refuse(550, '5.7.1', 'relaying denied: authentication required');
  if (!local.enabled) return refuse(550, '5.1.2', `mail is not enabled for ${a.domain}`);
  const box = look.mailbox(formatAddress(recipientMailbox(a)));
  if (box === undefined || box.imvu !== local.imvu) return refuse(550, '5.1.1', 'no such mailbox');
  return accept({ mailbox: box });
}

/**
 * The header From of an authenticated message (`addresses` as parsed from the header; a
 * group or an unparseable header gives none). Exactly one mailbox, bound like MAIL FROM.
 */
export function decideHeaderFrom(look: MailLookup, user: string, mailFrom: string, addresses: readonly string[]): Verdict<{ mailbox: Mailbox }> {
  const box = sendingMailbox(look, user);
  if (box === undefined) return refuse(550, '5.7.1', 'the authenticated mailbox cannot send');
  if (addresses.length === 0) return refuse(550, '5.6.0', 'the message has no parseable From header');
  if (addresses.length > 1) return refuse(550, '5.7.1', 'the From header must name exactly one mailbox');
  const from = addresses[0] as string;
  if (splitAddress(from) === undefined) return refuse(553, '5.1.7', 'header From syntax is not accepted here');
  if (!sendBound(box, mailFrom, from)) return refuse(550, '5.7.1', `header From is not bound to the authenticated mailbox ${box.address}`);
  return accept({ mailbox: box });
}
