import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync } from 'node:fs';
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

/** Writes and fsyncs `data` into `<maildir>/tmp`, creating tmp/new/cur (0700) when missing. */
export function stage(maildir: string, data: Buffer): Staged {
  for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, sub), { recursive: true, mode: 0o700 });
  const name = uniqueName();
  const tmp = join(maildir, 'tmp', name);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { tmp, final: join(maildir, 'new', name) };
}

/** Makes staged messages visible: one atomic rename each, tmp/ to new/. */
export function commit(staged: readonly Staged[]): void {
  for (const s of staged) renameSync(s.tmp, s.final);
}

/** Throws staged messages away (the meter refused, so nothing is delivered). */
export function discard(staged: readonly Staged[]): void {
  for (const s of staged) rmSync(s.tmp, { force: true });
}
