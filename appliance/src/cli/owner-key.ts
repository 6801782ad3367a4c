import { readFileSync, statSync } from 'node:fs';
import { LocalSigner, NexusError, fromBase64 } from '@nexus-cos/sdk';

/**
 * Reads the owner's key for a CLI command: the raw 32-byte Ed25519 seed in base64, in a
 * file nobody else can read (like ssh, a group- or world-readable key is refused). The
 * seed stays in this process; no message ever includes it.
 */
export function readOwnerKey(path: string): LocalSigner {
  return LocalSigner.fromSeed(readOwnerSeed(path));
}

/** The owner's raw seed, read and checked as `readOwnerKey` does (to open sealed secrets). */
export function readOwnerSeed(path: string): Uint8Array {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode & 0o777;
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new NexusError('USAGE', `cannot read the key file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { field: '--key' });
  }
  if ((mode & 0o077) !== 0) throw new NexusError('USAGE', `the key file ${path} has mode ${mode.toString(8)}; it must be 600`, { field: '--key' });
  let seed: Uint8Array | undefined;
  try {
    seed = fromBase64(text);
  } catch {
    seed = undefined;
  }
  if (seed?.length !== 32) throw new NexusError('USAGE', `the key file ${path} is not a base64 32-byte seed`, { field: '--key' });
  return seed;
}
