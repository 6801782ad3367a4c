import { NexusError, fromUtf8, maildirNameOf, sha256, sortMessages, toHex, type MailboxMessage } from '@nexus-cos/sdk';
import { formatAddress, parseMailboxAddress } from '../domain/mail/index.js';

/** One message as B's Maildir gets it: its folder, its file name and its exact bytes. */
export interface ImportedMessage {
  readonly sub: 'cur' | 'new';
  readonly name: string;
  readonly bytes: Uint8Array;
  /** SHA-256 hex of `bytes`, hashed once: the state check and the `imported` entries use it. */
  readonly sha256: string;
}

/** A mailbox of the bundle: its address and messages; its credential comes sealed. */
export interface ImportedMailbox {
  readonly address: string;
  readonly domain: string;
  readonly messages: readonly ImportedMessage[];
}

/** A mail domain of the bundle: the DKIM selector and public key it published. */
export interface ImportedMailDomain {
  readonly domain: string;
  readonly selector: string;
  readonly publicKey: string;
}

/** Everything of the mail section an import re-instantiates. */
export interface ImportedMail {
  readonly domains: readonly ImportedMailDomain[];
  readonly mailboxes: readonly ImportedMailbox[];
}

// The layout of spec/exit-bundle.md §2 (sdk/src/exit/mail-layout.ts).
const DKIM_JSON = /^mail\/([^/]+)\/dkim\.json$/;
const MAILBOX_STATE_RE = /^mail\/([^/]+)\/([^/]+)\/state\.json$/;
const MAILDIR_MEMBER_RE = /^mail\/([^/]+)\/([^/]+)\/Maildir\/(?:cur|new)\/[^/]+$/;
const SELECTOR = /^[a-z0-9][a-z0-9-]{0,62}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// A Maildir file name B may create: one path segment, no dot file, no NUL.
const SAFE_NAME = /^[^/\0.][^/\0]{0,254}$/;

/**
 * Reads the bundle's mail section: `mail/<domain>/dkim.json`, each mailbox's Maildir members
 * (names mapped back with `maildirNameOf`) and its `state.json`. The messages must be exactly
 * the state's (digest and size), which the verifier already matched against the ledger.
 */
export function readMail(files: ReadonlyMap<string, Uint8Array>): ImportedMail {
  const domains: ImportedMailDomain[] = [];
  const boxes = new Map<string, { domain: string; messages: ImportedMessage[]; state?: readonly MailboxMessage[] }>();
  const box = (domain: string, local: string, path: string) => {
    const a = parseMailboxAddress(`${local}@${domain}`);
    if (a === undefined || a.local !== local || a.domain !== domain) throw new NexusError('BUNDLE_STATE_MISMATCH', 'not a canonical mailbox address', { field: path });
    const address = formatAddress(a);
    const got = boxes.get(address) ?? { domain, messages: [] };
    boxes.set(address, got);
    return got;
  };
  for (const [path, bytes] of files) {
    const d = DKIM_JSON.exec(path)?.[1];
    if (d !== undefined) domains.push(dkimOf(path, d, bytes));
    const m = MAILDIR_MEMBER_RE.exec(path);
    if (m !== null) {
      const sub = path.includes('/Maildir/cur/') ? 'cur' : 'new';
      const name = maildirNameOf(path.slice(path.lastIndexOf('/') + 1));
      if (!SAFE_NAME.test(name)) throw new NexusError('BUNDLE_STATE_MISMATCH', 'a Maildir name B cannot create', { field: path });
      box(m[1] as string, m[2] as string, path).messages.push({ sub, name, bytes, sha256: toHex(sha256(bytes)) });
    }
    const s = MAILBOX_STATE_RE.exec(path);
    if (s !== null) box(s[1] as string, s[2] as string, path).state = stateOf(path, bytes);
  }
  const mailboxes: ImportedMailbox[] = [];
  for (const [address, b] of [...boxes].sort(([x], [y]) => x.localeCompare(y))) {
    const field = `mail/${b.domain}/${address.slice(0, address.lastIndexOf('@'))}/state.json`;
    if (b.state === undefined) throw new NexusError('BUNDLE_FILE_MISSING', 'a mailbox needs its state', { field });
    const held = sortMessages(b.messages.map((x) => ({ sha256: x.sha256, size: String(x.bytes.length) })));
    if (JSON.stringify(held) !== JSON.stringify(b.state)) throw new NexusError('BUNDLE_STATE_MISMATCH', 'the Maildir members are not the mailbox state', { field });
    if (!domains.some((x) => x.domain === b.domain)) throw new NexusError('BUNDLE_FILE_MISSING', 'a mailbox domain needs its dkim.json', { field: `mail/${b.domain}/dkim.json` });
    mailboxes.push({ address, domain: b.domain, messages: b.messages });
  }
  return { domains: domains.sort((a, b) => a.domain.localeCompare(b.domain)), mailboxes };
}

function json(path: string, bytes: Uint8Array): Record<string, unknown> {
  try {
    return JSON.parse(fromUtf8(bytes)) as Record<string, unknown>;
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'not JSON', { field: path, cause });
  }
}

function dkimOf(path: string, domain: string, bytes: Uint8Array): ImportedMailDomain {
  const j = json(path, bytes);
  if (j['domain'] !== domain) throw new NexusError('BUNDLE_STATE_MISMATCH', `not the DKIM record of ${domain}`, { field: `${path}#/domain` });
  const selector = j['selector'];
  if (typeof selector !== 'string' || !SELECTOR.test(selector)) throw new NexusError('BUNDLE_STATE_MISMATCH', 'a DKIM selector is a DNS label', { field: `${path}#/selector` });
  const publicKey = j['publicKey'];
  if (typeof publicKey !== 'string' || !BASE64.test(publicKey)) throw new NexusError('BUNDLE_STATE_MISMATCH', 'the DKIM public key is base64', { field: `${path}#/publicKey` });
  return { domain, selector, publicKey };
}

function stateOf(path: string, bytes: Uint8Array): readonly MailboxMessage[] {
  const messages = json(path, bytes)['messages'];
  if (!Array.isArray(messages)) throw new NexusError('BUNDLE_STATE_MISMATCH', 'a mailbox state lists its messages', { field: `${path}#/messages` });
  return messages.map((m: { sha256?: unknown; size?: unknown }) => ({ sha256: String(m.sha256), size: String(m.size) }));
}
