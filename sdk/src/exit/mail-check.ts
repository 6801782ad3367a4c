import { sha256 } from '../crypto/sha256.js';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { toHex } from '../encoding/hex.js';
import { bytesEqual, fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import type { CheckedChain } from '../verify/checked-chain.js';
import { CHAIN_PATH } from './layout.js';
import { MAILBOX_STATE_RE, MAILDIR_MEMBER_RE, MBOX_RE, sortMessages, storesMessage, type MailboxMessage, type MailboxState } from './mail-layout.js';
import { readMbox } from './mboxrd.js';
import type { Member } from './read.js';

const key = (m: MailboxMessage): string => `${m.sha256}/${m.size}`;
const SHA = /^[0-9a-f]{64}$/;
const SIZE = /^(0|[1-9][0-9]{0,19})$/;

/** A state.json, strictly: canonical JSON of the right shape, sorted, naming its own mailbox. */
function readState(bytes: Uint8Array, path: string, mailbox: string): MailboxState {
  let s: MailboxState;
  try {
    s = JSON.parse(fromUtf8(bytes)) as MailboxState;
  } catch (cause) {
    throw fail('BUNDLE_STATE_MISMATCH', 'mailbox state is not JSON', path, cause);
  }
  const ok = s !== null && typeof s === 'object' && s.v === 1 && Array.isArray(s.messages) && Object.keys(s).length === 3 &&
    s.messages.every((m) => m !== null && typeof m === 'object' && Object.keys(m).length === 2 && SHA.test(m.sha256) && SIZE.test(m.size));
  if (!ok || !bytesEqual(canonicalBytes(s), bytes)) throw fail('BUNDLE_STATE_MISMATCH', 'mailbox state is not a canonical v1 state', path);
  if (s.mailbox !== mailbox) throw fail('BUNDLE_STATE_MISMATCH', `the state is for ${String(s.mailbox)}, its place for ${mailbox}`, `${path}#/mailbox`);
  if (sortMessages(s.messages).some((m, i) => key(m) !== key(s.messages[i] as MailboxMessage))) throw fail('BUNDLE_STATE_MISMATCH', 'messages are not sorted', `${path}#/messages`);
  return s;
}

/** Takes one `k` out of a multiset; false when none is left. */
function take(bag: Map<string, number>, k: string): boolean {
  const n = bag.get(k) ?? 0;
  if (n === 0) return false;
  bag.set(k, n - 1);
  return true;
}

const bagOf = (ms: readonly MailboxMessage[]): Map<string, number> => {
  const bag = new Map<string, number>();
  for (const m of ms) bag.set(key(m), (bag.get(key(m)) ?? 0) + 1);
  return bag;
};

const leftover = (bag: Map<string, number>): string | undefined => [...bag].find(([, n]) => n > 0)?.[0];

/**
 * The mail part of step 7 (spec/exit-bundle.md §4): each mailbox's state.json is accounted
 * for by the ledger (every message matches an `inbound` or `imported` `mail` entry for that
 * mailbox with the same SHA-256 and size, one entry per message; `imported` ones only in a
 * chain that begins with an `import` entry), and its Maildir and mbox members hold exactly
 * those messages. Any disagreement is BUNDLE_STATE_MISMATCH naming the file.
 */
export function checkMail(members: readonly Member[], files: ReadonlyMap<string, Uint8Array>, slice: CheckedChain): void {
  const recorded = new Map<string, Map<string, number>>();
  const first = slice.notable[0];
  const imported = first?.index === 0 && first.entry.kind === 'import';
  // Mail entries are never `usage`, so the notable ones are all of them.
  for (const { index: i, entry } of slice.notable) {
    if (!storesMessage(entry)) continue;
    // Only an import writes `imported` mail, and an imported chain begins with its `import` entry.
    if (entry.direction === 'imported' && !imported) throw fail('BUNDLE_STATE_MISMATCH', 'imported mail in a chain that does not begin with an import', `${CHAIN_PATH}#/entries/${i}/direction`);
    const bag = recorded.get(entry.mailbox) ?? new Map<string, number>();
    bag.set(key({ sha256: entry.message, size: entry.size }), (bag.get(key({ sha256: entry.message, size: entry.size })) ?? 0) + 1);
    recorded.set(entry.mailbox, bag);
  }
  const states = new Map<string, MailboxState>();
  for (const m of members) {
    const hit = MAILBOX_STATE_RE.exec(m.path);
    if (hit === null) continue;
    const [, domain, local] = hit as unknown as [string, string, string];
    const state = readState(files.get(m.path) ?? new Uint8Array(), m.path, `${local}@${domain}`);
    const ledger = recorded.get(state.mailbox) ?? new Map<string, number>();
    for (const [i, msg] of state.messages.entries()) {
      if (!take(ledger, key(msg))) throw fail('BUNDLE_STATE_MISMATCH', `no inbound or imported mail entry for ${state.mailbox} records message ${msg.sha256} of ${msg.size} bytes`, `${m.path}#/messages/${i}`);
    }
    states.set(`mail/${domain}/${local}`, state);
  }
  // The Maildir members, by the digests the listing step already checked.
  const maildirs = new Map<string, Map<string, number>>();
  for (const m of members) {
    const hit = MAILDIR_MEMBER_RE.exec(m.path);
    if (hit === null) continue;
    const dir = `mail/${hit[1] as string}/${hit[2] as string}`;
    const state = states.get(dir);
    if (state === undefined) throw fail('BUNDLE_STATE_MISMATCH', 'a Maildir message without its mailbox state.json', m.path);
    const bag = maildirs.get(dir) ?? bagOf(state.messages);
    if (!take(bag, key({ sha256: m.sha256, size: String(m.size) }))) throw fail('BUNDLE_STATE_MISMATCH', 'this message is not in the mailbox state', m.path);
    maildirs.set(dir, bag);
  }
  for (const [dir, state] of states) {
    const missing = leftover(maildirs.get(dir) ?? bagOf(state.messages));
    if (missing !== undefined) throw fail('BUNDLE_STATE_MISMATCH', `message ${missing} of the state has no Maildir file`, `${dir}/state.json`);
    const mboxPath = `${dir}.mbox`;
    const mbox = files.get(mboxPath);
    if (mbox === undefined) throw fail('BUNDLE_FILE_MISSING', 'a mailbox state without its mbox', mboxPath);
    checkMbox(mbox, mboxPath, state);
  }
  for (const m of members) {
    const hit = MBOX_RE.exec(m.path);
    if (hit !== null && !states.has(`mail/${hit[1] as string}/${hit[2] as string}`)) throw fail('BUNDLE_STATE_MISMATCH', 'an mbox without its mailbox state.json', m.path);
  }
}

/** Every mbox entry is one message of the state (with or without the LF the writer may add), and none is left over. */
function checkMbox(bytes: Uint8Array, path: string, state: MailboxState): void {
  const entries = readMbox(bytes);
  if (entries === undefined) throw fail('BUNDLE_STATE_MISMATCH', 'not an mboxrd file', path);
  const bag = bagOf(state.messages);
  for (const [i, e] of entries.entries()) {
    const exact = { sha256: toHex(sha256(e)), size: String(e.length) };
    const trimmed = e.length > 0 && e[e.length - 1] === 10 ? { sha256: toHex(sha256(e.subarray(0, e.length - 1))), size: String(e.length - 1) } : undefined;
    if (!take(bag, key(exact)) && (trimmed === undefined || !take(bag, key(trimmed)))) {
      throw fail('BUNDLE_STATE_MISMATCH', `mbox entry ${i} is not a message of the mailbox state`, `${path}#/${i}`);
    }
  }
  const missing = leftover(bag);
  if (missing !== undefined) throw fail('BUNDLE_STATE_MISMATCH', `message ${missing} of the state is not in the mbox`, path);
}
