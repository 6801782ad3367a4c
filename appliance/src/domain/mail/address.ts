/**
 * Mail addresses as our mailboxes use them (spec/mail.md). A mailbox's local part is a
 * lower-case dot-atom subset without `+` (reserved for tags), so a bound address has one
 * spelling; the domain is a DNS name, compared case-insensitively (RFC 5321 §2.4).
 */
import { normalizeName } from '../gates/rules/names.js';

/** The local parts a mailbox may have: lower-case letters, digits, `.`, `_`, `-`; no `+`. */
const MAILBOX_LOCAL = /^[a-z0-9](?:[a-z0-9_-]|\.(?!\.)){0,62}(?<!\.)$/;

/** A mail address split at its `@`, the domain lower-cased. */
export interface MailAddress {
  readonly local: string;
  readonly domain: string;
}

/** The canonical text of an address: `local@domain`. */
export const formatAddress = (a: MailAddress): string => `${a.local}@${a.domain}`;

/** True for a local part a mailbox may be created with. */
export function isMailboxLocal(local: string): boolean {
  return MAILBOX_LOCAL.test(local);
}

/**
 * Splits an address as given on the wire (no angle brackets). Returns undefined for anything
 * that is not `local@domain` with a plain (unquoted) local part and a valid DNS domain; the
 * local part keeps its case, because only the receiving host may fold it.
 */
export function splitAddress(raw: string): MailAddress | undefined {
  if (raw.length > 320) return undefined;
  const at = raw.lastIndexOf('@');
  if (at <= 0 || at > 64) return undefined;
  const local = raw.slice(0, at);
  // Quoted local parts, comments, whitespace and control characters are not ours to decode.
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  const domain = normalizeName(raw.slice(at + 1));
  if (domain === undefined || domain.includes('*') || domain.includes('_')) return undefined;
  return { local, domain };
}

/** Parses the address a mailbox is created with; undefined unless it is already canonical. */
export function parseMailboxAddress(raw: string): MailAddress | undefined {
  const a = splitAddress(raw);
  return a !== undefined && isMailboxLocal(a.local) ? a : undefined;
}

/**
 * The mailbox an inbound recipient names: we are the receiving host, so we may define our
 * own local-part semantics (RFC 5321 §2.4). We fold case and drop a `+tag` suffix.
 */
export function recipientMailbox(a: MailAddress): MailAddress {
  const plus = a.local.indexOf('+');
  return { local: (plus < 0 ? a.local : a.local.slice(0, plus)).toLowerCase(), domain: a.domain };
}
