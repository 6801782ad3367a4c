import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError } from '@nexus-cos/sdk';
import type { CommandRunner } from '../../ports/command-runner.js';
import type { DnssecKeyExport } from '../../ports/dns.js';
import { KEY_ID, importPemArgs } from './keystore.js';

/** What keymgr needs to reach knotd's key store, and where a PEM may wait for it (0700). */
export interface KeymgrTarget {
  readonly runner: CommandRunner;
  readonly keymgr: string;
  readonly confdb: string;
  readonly scratchDir: string;
  /** knotd's PEM key store: imported keys are made 0600 there, and removed from it on undo. */
  readonly keystoreDir?: string;
}


/** The ids and tags of the zone's keys in the KASP database (keymgr prints nothing for none). */
export async function listedKeys(t: KeymgrTarget, zone: string): Promise<{ id: string; tag: number }[]> {
  const out = (await t.runner.run([t.keymgr, '-C', t.confdb, '-j', zone, 'list'])).stdout.trim();
  if (out === '') return [];
  try {
    const list = JSON.parse(out) as { id?: unknown; tag?: unknown }[];
    return list.map((k) => {
      if (typeof k.id !== 'string' || !KEY_ID.test(k.id) || !Number.isSafeInteger(k.tag)) throw new Error('malformed key');
      return { id: k.id, tag: k.tag as number };
    });
  } catch (cause) {
    throw new NexusError('DNS_BACKEND_FAILED', 'keymgr list did not print a key list', { field: '/keys', cause });
  }
}

/**
 * Imports `keys` into the key store for `zone` before knotd serves it, so it signs with them
 * (`keymgr import-pem`, spec/exit-bundle.md §2). Refuses a zone that has keys already (they
 * would be mixed). Each PEM waits in a private temporary file (0600) only for its keymgr call.
 * After the import the store must hold exactly these ids and tags. On failure the caller
 * removes the zone's keys (`removeKeys`): nothing here is half-kept.
 */
export async function importKeys(t: KeymgrTarget, zone: string, keys: readonly DnssecKeyExport[]): Promise<void> {
  if ((await listedKeys(t, zone)).length > 0) throw new NexusError('CONFLICT', `the key store already has keys for ${zone}`, { field: '/zone' });
  mkdirSync(t.scratchDir, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(t.scratchDir, 'keys-'));
  try {
    for (const k of keys) {
      // The id becomes a file name: 40 hex digits, nothing else.
      if (!KEY_ID.test(k.id)) throw new NexusError('INPUT_INVALID', 'a DNSSEC key id is 40 hex digits', { field: '/keys/id' });
      const file = join(dir, `${k.id}.pem`);
      writeFileSync(file, k.pem, { mode: 0o600, flag: 'wx' });
      try {
        await t.runner.run([t.keymgr, '-C', t.confdb, zone, 'import-pem', file, ...importPemArgs(k)]);
      } finally {
        rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const got = (await listedKeys(t, zone)).map((k) => `${k.id}/${k.tag}`).sort();
  const want = keys.map((k) => `${k.id}/${k.tag}`).sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new NexusError('DNS_BACKEND_FAILED', `the key store did not take ${zone}'s keys as given (id and tag)`, { field: '/keys' });
  // keymgr writes 0640 (for a knot group); these keys are a tenant's secrets: owner only.
  if (t.keystoreDir !== undefined) for (const k of keys) chmodSync(join(t.keystoreDir, `${k.id}.pem`), 0o600);
}

/**
 * Deletes every key of `zone` from the KASP database, then the PEM files of `ids` from the key
 * store: purging a zone (knotc zone-purge) forgets its keys but leaves their PEM files behind.
 */
export async function removeKeys(t: KeymgrTarget, zone: string, ids: readonly string[]): Promise<void> {
  for (const k of await listedKeys(t, zone)) await t.runner.run([t.keymgr, '-C', t.confdb, zone, 'delete', k.id]);
  removeKeyFiles(t, ids);
}

/** Deletes the PEM files of `ids` (each checked to be 40 hex digits) from the key store. */
export function removeKeyFiles(t: KeymgrTarget, ids: readonly string[]): void {
  if (t.keystoreDir === undefined) return;
  for (const id of ids) if (KEY_ID.test(id)) rmSync(join(t.keystoreDir, `${id}.pem`), { force: true });
}
