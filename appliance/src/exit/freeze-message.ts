import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from './snapshot.js';

/**
 * Where a listed message is now. A mail client may flag it between listing and copying:
 * it then moves to cur/ and gains `:2,<flags>`, keeping the unique part before the colon
 * (the Maildir convention). Undefined when it was deleted meanwhile.
 */
async function locate(box: string, sub: string, name: string): Promise<string | undefined> {
  const base = name.split(':')[0] as string;
  for (const s of [sub, 'cur', 'new']) {
    const names = await readdir(join(box, s)).catch(() => [] as string[]);
    const hit = names.find((n) => n === base || n.startsWith(`${base}:`));
    if (hit !== undefined) return join(box, s, hit);
  }
  return undefined;
}

/** Freezes one message; undefined when it vanished since listing (deleted by its owner). */
export async function freeze(snap: Snapshot, box: string, sub: string, name: string): Promise<Awaited<ReturnType<Snapshot['copy']>> | undefined> {
  try {
    return await snap.copy(join(box, sub, name));
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
    const now = await locate(box, sub, name);
    return now === undefined ? undefined : snap.copy(now);
  }
}
