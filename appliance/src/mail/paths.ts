import { join } from 'node:path';

/** Where mail lives in the data directory: one folder, so an exit or a backup finds it whole. */
export const mailPaths = (dataDir: string) => ({
  /** Mail domains, mailboxes and credential hashes (SQLite, 0600). */
  directory: join(dataDir, 'mail', 'directory.sqlite'),
  /** The decision channel Haraka's plugin asks (unix socket, 0600). */
  socket: join(dataDir, 'mail', 'decide.sock'),
  /** `<domain>/<local>/{tmp,new,cur}` per mailbox. */
  maildirs: join(dataDir, 'mail', 'maildirs'),
  /** `<domain>/{private,selector}` per enabled domain. */
  dkim: join(dataDir, 'mail', 'dkim'),
  /** Haraka's STARTTLS key (0600) and certificate: `key.pem`, `cert.pem`. */
  tls: join(dataDir, 'mail', 'tls'),
});
