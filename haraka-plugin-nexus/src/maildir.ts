import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** A message written to a Maildir's tmp/, not yet visible to readers. */
export interface Staged {
  readonly tmp: string;
  readonly final: string;
}

// A unique name as the Maildir convention asks: time, a random part, the host (cr.yp.to/proto/maildir.html).
function uniqueName(): string {
  return `${Date.now()}.R${randomBytes(8).toString('hex')}.${hostname().replace(/[/:]/g, '_')}`;
}

/**
 * Writes and fsyncs `data` into `<maildir>/tmp`, creating tmp/new/cur (0700) when missing.
 * Asynchronous, so one message's fsync never stalls Haraka's other connections.
 */
export async function stage(maildir: string, data: Buffer): Promise<Staged> {
  for (const sub of ['tmp', 'new', 'cur']) await mkdir(join(maildir, sub), { recursive: true, mode: 0o700 });
  const name = uniqueName();
  const tmp = join(maildir, 'tmp', name);
  const file = await open(tmp, 'wx', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  return { tmp, final: join(maildir, 'new', name) };
}

/** Makes staged messages visible: one atomic rename each, tmp/ to new/. */
export async function commit(staged: readonly Staged[]): Promise<void> {
  for (const s of staged) await rename(s.tmp, s.final);
}

/** Throws staged messages away (the meter refused, so nothing is delivered). */
export async function discard(staged: readonly Staged[]): Promise<void> {
  for (const s of staged) await rm(s.tmp, { force: true });
}
