import { sortMessages } from '@nexus-cos/sdk';
import type { EffectItem } from '../services/effects.js';
import type { ImportedMail } from './mail.js';

/**
 * One `mail` entry per message the import writes, direction `imported`: B's chain then says
 * exactly what B's Maildirs hold, so B's own exit passes verification step 7 (the old chain,
 * kept as evidence, records the deliveries on A). `imported`, not `inbound`: nothing was
 * delivered here, and no usage is metered for it (spec/mail.md §5). Sorted per mailbox by
 * digest and size, as the mailbox state is, so the entries do not depend on member order.
 */
export function importedMailItems(imvu: string, actor: string, mail: ImportedMail): EffectItem[] {
  return mail.mailboxes.flatMap((b) =>
    sortMessages(b.messages.map((m) => ({ sha256: m.sha256, size: String(m.bytes.length) }))).map((m) => ({
      draft: { kind: 'mail' as const, imvu, actor, direction: 'imported' as const, mailbox: b.address, message: m.sha256, size: m.size },
    })),
  );
}
