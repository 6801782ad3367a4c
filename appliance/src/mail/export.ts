import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError } from '@nexus-cos/sdk';
import { parseMailboxAddress } from '../domain/mail/index.js';

/** What one mailbox export wrote. */
export interface MailboxExport {
  readonly messages: number;
  /** `<outDir>/Maildir`: the messages exactly as stored (new/ and cur/). */
  readonly maildir: string;
  /** `<outDir>/<local>@<domain>.mbox`, mboxrd. */
  readonly mbox: string;
}

/** Every delivered message file of a Maildir (new/ and cur/, not tmp/), oldest name first. */
export function maildirMessages(maildir: string): { sub: 'new' | 'cur'; name: string }[] {
  const out: { sub: 'new' | 'cur'; name: string }[] = [];
  for (const sub of ['new', 'cur'] as const) {
    let names: string[] = [];
    try {
      names = readdirSync(join(maildir, sub));
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
    }
    for (const name of names) if (!name.startsWith('.')) out.push({ sub, name });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * One message in mboxrd form (the variant that round-trips): LF line ends, every line
 * matching `>*From ` gets one more `>`, a `From ` separator line before and a blank after.
 */
export function mboxrdEntry(message: Buffer, date: Date): string {
  const text = message.toString('latin1').replace(/\r\n/g, '\n');
  const body = text.replace(/^(>*From )/gm, '>$1');
  return `From MAILER-DAEMON ${date.toUTCString()}\n${body}${body.endsWith('\n') ? '' : '\n'}\n`;
}

/**
 * Exports one mailbox as a Maildir copy and an mbox, both in open formats any mail client
 * reads (the exit bundle carries them, gate 15). The address is checked against the
 * mailbox grammar before it becomes a path, so it cannot leave `mailRoot`.
 */
export function exportMailbox(mailRoot: string, address: string, outDir: string, now: Date): MailboxExport {
  const a = parseMailboxAddress(address);
  if (a === undefined) throw new NexusError('INPUT_INVALID', 'not a mailbox address', { field: '/address' });
  const src = join(mailRoot, a.domain, a.local);
  const maildir = join(outDir, 'Maildir');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true, mode: 0o700 });
  const list = maildirMessages(src);
  let mbox = '';
  for (const m of list) {
    copyFileSync(join(src, m.sub, m.name), join(maildir, m.sub, m.name));
    mbox += mboxrdEntry(readFileSync(join(src, m.sub, m.name)), now);
  }
  const mboxPath = join(outDir, `${a.local}@${a.domain}.mbox`);
  writeFileSync(mboxPath, mbox, { encoding: 'latin1', mode: 0o600 });
  return { messages: list.length, maildir, mbox: mboxPath };
}
