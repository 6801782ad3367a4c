import type { MailDeps } from '../services/mail.js';
import type { MailImportDeps } from './mail-effect.js';

/** What a mail import needs of the mail service's deps; none when mail or its Maildirs are not configured. */
export function importMailDeps(m: MailDeps | undefined): MailImportDeps | undefined {
  return m?.maildirs === undefined ? undefined : { directory: m.directory, dkimDir: m.dkimDir, mailRoot: m.maildirs };
}
