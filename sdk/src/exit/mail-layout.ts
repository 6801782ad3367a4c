import { sha256 } from '../crypto/sha256.js';
import { toHex } from '../encoding/hex.js';
import { utf8 } from '../encoding/utf8.js';
import type { LedgerEntry, LedgerEntryOf } from '../schemas/ledger.js';

/** Media types of the mail section's files (spec/exit-bundle.md §2). */
export const MAILBOX_STATE_MEDIA_TYPE = 'application/vnd.nexus-cos.mailbox-state.v1+json';
export const MBOX_MEDIA_TYPE = 'application/mbox';
export const MAIL_MESSAGE_MEDIA_TYPE = 'message/rfc822';

/** `mail/<domain>/<local>/state.json`: the mailbox's messages by digest and size. */
export const MAILBOX_STATE_RE = /^mail\/([^/]+)\/([^/]+)\/state\.json$/;
/** `mail/<domain>/<local>.mbox`. */
export const MBOX_RE = /^mail\/([^/]+)\/([^/]+)\.mbox$/;
/** `mail/<domain>/<local>/Maildir/{cur,new}/<mapped name>`. */
export const MAILDIR_MEMBER_RE = /^mail\/([^/]+)\/([^/]+)\/Maildir\/(?:cur|new)\/[^/]+$/;

/** The directory of one mailbox's files. */
export const mailboxDir = (domain: string, local: string): string => `mail/${domain}/${local}`;

/** One message in a mailbox state: its SHA-256 (hex) and size (decimal string). */
export interface MailboxMessage {
  readonly sha256: string;
  readonly size: string;
}

/** A mailbox state: what the ledger's inbound `mail` entries must account for. */
export interface MailboxState {
  readonly v: 1;
  readonly mailbox: string;
  readonly messages: readonly MailboxMessage[];
}

/** Orders messages by digest, then by size, so a state has exactly one canonical form. */
export function sortMessages(messages: readonly MailboxMessage[]): MailboxMessage[] {
  const key = (m: MailboxMessage): string => `${m.sha256}/${m.size.padStart(20, '0')}`;
  return [...messages].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

// Member segments are at most 128 characters (BundlePath).
const SEGMENT_MAX = 128;

/**
 * The member name of a Maildir file name. Characters of `[A-Za-z0-9.-]` stay; every other
 * UTF-8 byte, `_` included, becomes `_` and two lower-case hex digits (`:2,S` → `_3a2_2cS`),
 * which is reversible (`maildirNameOf`). A name whose mapping would exceed 128 characters
 * keeps its first 62 mapped characters and the suffix `-h<SHA-256 hex of the name>`; such a
 * name is not reversible, and an importer gives the message a fresh Maildir name.
 */
export function maildirMemberName(name: string): string {
  let out = '';
  for (const b of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9.-]/.test(c) ? c : `_${b.toString(16).padStart(2, '0')}`;
  }
  if (out.startsWith('.')) out = `_2e${out.slice(1)}`;
  if (out.length <= SEGMENT_MAX) return out;
  return `${out.slice(0, 62)}-h${toHex(sha256(utf8(name)))}`;
}

/** The Maildir file name a member name stands for (the inverse of `maildirMemberName`). */
export function maildirNameOf(member: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < member.length; i++) {
    if (member[i] === '_') {
      bytes.push(parseInt(member.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(member.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Whether a ledger entry records a message now stored in its mailbox: one delivered here
 * (`inbound`) or written by an import (`imported`). These are what a mailbox state must match.
 */
export const storesMessage = (e: LedgerEntry): e is LedgerEntryOf<'mail'> => e.kind === 'mail' && (e.direction === 'inbound' || e.direction === 'imported');
