import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MAILBOX_STATE_MEDIA_TYPE, MAIL_MESSAGE_MEDIA_TYPE, MBOX_MEDIA_TYPE, SEALED_MEDIA_TYPE, bytesSource, canonicalBytes, mailboxDir,
  maildirMemberName, mboxrdEntry, sealToOwner, sortMessages, utf8, type BundleSource, type MailboxMessage,
} from '@nexus-cos/sdk';
import { parseMailboxAddress, type Mailbox } from '../../domain/mail/index.js';
import { dkimDir } from '../../mail/dkim-key.js';
import { maildirMessages } from '../../mail/export.js';
import type { DomainStore } from '../../ports/domain-store.js';
import type { MailDirectory } from '../../ports/mail-directory.js';
import type { Registry } from '../../ports/registry.js';
import { currentOwnerKey } from '../owner-key.js';
import type { BundleSection, ExportAnchor } from '../section.js';
import { MailAtAnchor } from '../mail-at-anchor.js';
import type { LedgerStore } from '../../ports/ledger-store.js';
import { freeze } from '../freeze-message.js';
import { Snapshot, frozenSource } from '../snapshot.js';

/** Where the mail section reads: the directory, the Maildirs, the DKIM keys. */
export interface MailSectionDeps {
  readonly directory: MailDirectory;
  readonly domains: Pick<DomainStore, 'domainsOf'>;
  readonly registry: Pick<Registry, 'imvu' | 'identity'>;
  /** `<mailRoot>/<domain>/<local>/{new,cur}`. */
  readonly mailRoot: string;
  /** `<dkimRoot>/<domain>/private`. */
  readonly dkimRoot: string;
  /** The ledger's store: with an anchor, mail recorded after it is left for the next export. */
  readonly ledger?: Pick<LedgerStore, 'chain'>;
  /** Where snapshots are taken (the OS temp directory when absent). */
  readonly scratch?: string;
}

/** The published DKIM record's content: what `mail/<domain>/dkim.json` carries. */
async function dkimFiles(d: MailSectionDeps, domain: string, owner: Uint8Array): Promise<BundleSource[]> {
  const pem = await readFile(join(dkimDir(d.dkimRoot, domain), 'private'));
  const publicKey = createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
  const dkim = { v: 1, domain, selector: d.directory.selector(domain) ?? null, algorithm: 'rsa-sha256', keyType: 'rsa', publicKey };
  const sealed = `secrets/mail/${domain}/dkim.pem.sealed`;
  return [
    bytesSource(`mail/${domain}/dkim.json`, 'application/json', canonicalBytes(dkim)),
    bytesSource(sealed, SEALED_MEDIA_TYPE, sealToOwner(pem, sealed, owner)),
  ];
}

/**
 * One mailbox, frozen first: every message is copied into the snapshot (and appended to
 * the snapshot's mbox) before any file is listed, so sizes and digests cannot move while
 * the bundle streams. Then the mbox, the Maildir files, the state and the sealed credential.
 */
async function mailboxFiles(d: MailSectionDeps, snap: Snapshot, box: Mailbox, owner: Uint8Array, at: MailAtAnchor | undefined): Promise<BundleSource[]> {
  const a = parseMailboxAddress(box.address);
  if (a === undefined) return [];
  const dir = mailboxDir(a.domain, a.local);
  const mbox = snap.path('.mbox');
  await snap.append(mbox, new Uint8Array(0));
  const out: BundleSource[] = [];
  const messages: MailboxMessage[] = [];
  const live = join(d.mailRoot, a.domain, a.local);
  for (const m of maildirMessages(live)) {
    const got = await freeze(snap, live, m.sub, m.name);
    if (got === undefined) continue;
    const { frozen, bytes } = got;
    if (at !== undefined && !at.belongs(box.address, frozen.sha256, frozen.size)) continue;
    await snap.append(mbox, mboxrdEntry(bytes));
    messages.push({ sha256: frozen.sha256, size: String(frozen.size) });
    out.push(await frozenSource(`${dir}/Maildir/${m.sub}/${maildirMemberName(m.name)}`, MAIL_MESSAGE_MEDIA_TYPE, frozen.file));
  }
  const state = { v: 1, mailbox: box.address, messages: sortMessages(messages) };
  const credential = d.directory.credential(box.address);
  const sealed = `secrets/${dir}/credential.json.sealed`;
  return [
    await frozenSource(`${dir}.mbox`, MBOX_MEDIA_TYPE, mbox),
    ...out,
    bytesSource(`${dir}/state.json`, MAILBOX_STATE_MEDIA_TYPE, canonicalBytes(state)),
    ...(credential === undefined ? [] : [bytesSource(sealed, SEALED_MEDIA_TYPE, sealToOwner(utf8(JSON.stringify({ v: 1, mailbox: box.address, credential })), sealed, owner))]),
  ];
}

/**
 * Each mail-enabled domain of the IMVU (its DKIM public key, its private key sealed to the
 * owner) and each of its mailboxes (mbox, Maildir, state, sealed credential hash). Like the
 * builder, a consumer reads each source whole before asking for the next: a mailbox's
 * snapshot is removed once the section moves past it.
 */
export function mailSection(d: MailSectionDeps): BundleSection {
  return {
    name: 'mail',
    async *files(imvu: string, anchor?: ExportAnchor): AsyncGenerator<BundleSource> {
      const domains = d.domains.domainsOf(imvu).map((b) => b.domain).filter((x) => d.directory.domain(x)?.enabled === true);
      if (domains.length === 0) return;
      const owner = currentOwnerKey(d.registry, imvu);
      const boxes = d.directory.mailboxes(imvu);
      const at = anchor === undefined || d.ledger === undefined ? undefined : new MailAtAnchor(d.ledger, imvu, Number(anchor.head.seq));
      for (const domain of domains) {
        yield* await dkimFiles(d, domain, owner);
        for (const box of boxes.filter((b) => b.address.endsWith(`@${domain}`))) {
          // One mailbox's snapshot at a time: scratch space stays one mailbox large.
          const snap = await Snapshot.create(d.scratch);
          try {
            yield* await mailboxFiles(d, snap, box, owner, at);
          } finally {
            await snap.dispose();
          }
        }
      }
    },
  };
}
