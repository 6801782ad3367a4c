import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NexusError } from '@nexus-cos/sdk';
import type { DnssecKeyExport } from '../../ports/dns.js';

// keymgr's names for the timing attributes `list -j` prints (import-pem takes them with `_` for `-`).
const TIMERS = ['created', 'pre-active', 'publish', 'ready', 'active', 'retire-active', 'retire', 'post-active', 'revoke', 'remove'] as const;
/** A key id as knot names it, and as it becomes a PEM file name: 40 hex digits, nothing else. */
export const KEY_ID = /^[0-9a-f]{40}$/;

interface ListedKey { id?: unknown; ksk?: unknown; zsk?: unknown; tag?: unknown; algorithm?: unknown; size?: unknown; 'public-only'?: unknown; [timer: string]: unknown }

const num = (x: unknown, field: string): number => {
  if (!Number.isSafeInteger(x) || (x as number) < 0) throw new NexusError('DNS_BACKEND_FAILED', `keymgr listed a key without a valid ${field}`, { field: `/keys/${field}` });
  return x as number;
};

/**
 * The keys `keymgr -j <zone> list` prints, each with its PEM read from the PEM key store
 * (`<keystoreDir>/<id>.pem`). The id is checked to be 40 hex digits before it becomes a
 * path; public-only keys (nothing to export) are left out.
 */
export async function zoneKeys(listJson: string, keystoreDir: string): Promise<DnssecKeyExport[]> {
  let listed: ListedKey[];
  try {
    listed = JSON.parse(listJson) as ListedKey[];
    if (!Array.isArray(listed)) throw new Error('not a list');
  } catch (cause) {
    throw new NexusError('DNS_BACKEND_FAILED', 'keymgr list did not print a JSON list', { field: '/keys', cause });
  }
  const out: DnssecKeyExport[] = [];
  for (const k of listed) {
    if (k['public-only'] === true) continue;
    if (typeof k.id !== 'string' || !KEY_ID.test(k.id)) throw new NexusError('DNS_BACKEND_FAILED', 'keymgr listed a key with a malformed id', { field: '/keys/id' });
    const timers: Record<string, number> = {};
    for (const t of TIMERS) if (t in k) timers[t] = num(k[t], t);
    const pem = await readFile(join(keystoreDir, `${k.id}.pem`), 'utf8').catch((cause: unknown) => {
      throw new NexusError('DNS_BACKEND_FAILED', `key ${k.id} is not in the key store`, { field: '/keys/id', cause });
    });
    out.push({ id: k.id, tag: num(k.tag, 'tag'), algorithm: num(k.algorithm, 'algorithm'), size: num(k.size, 'size'), ksk: k.ksk === true, zsk: k.zsk === true, timers, pem });
  }
  return out;
}

/** The `keymgr import-pem` attributes that recreate `k` with the same role and timers (0 = unset, left out). */
export function importPemArgs(k: DnssecKeyExport): string[] {
  return [
    `algorithm=${k.algorithm}`, `size=${k.size}`, `ksk=${k.ksk ? 'yes' : 'no'}`, `zsk=${k.zsk ? 'yes' : 'no'}`,
    ...Object.entries(k.timers).filter(([, t]) => t !== 0).map(([name, t]) => `${name.replaceAll('-', '_')}=${t}`),
  ];
}
