import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { LocalSigner, NexusError, fromBase64, toBase64 } from '@nexus-cos/sdk';

/**
 * Writes a new platform key: the raw 32-byte seed in base64, created with mode 0600 and
 * `wx` so an existing key is never overwritten. Returns the signer; the seed is never logged.
 */
export function createPlatformKey(path: string): LocalSigner {
  const signer = LocalSigner.generate();
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${toBase64(signer.exportSeed())}\n`);
  } finally {
    closeSync(fd);
  }
  return signer;
}

/** Reads the platform key, refusing a file that group or others could read (like ssh does). */
export function readPlatformKey(path: string): LocalSigner {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new NexusError('CONFIG_INVALID', `cannot open the platform key ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'} (run \`nexus-cos init\`)`, { field: '/dataDir' });
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new NexusError('CONFIG_INVALID', `the platform key ${path} has mode ${mode.toString(8)}; it must be 600`, { field: '/dataDir' });
    }
    const text = readFileSync(fd, 'utf8').trim();
    // The message never includes the file's content.
    let seed: Uint8Array;
    try {
      seed = fromBase64(text);
    } catch {
      throw new NexusError('CONFIG_INVALID', `the platform key ${path} is not base64`, { field: '/dataDir' });
    }
    if (seed.length !== 32) throw new NexusError('CONFIG_INVALID', `the platform key ${path} is not a 32-byte seed`, { field: '/dataDir' });
    return LocalSigner.fromSeed(seed);
  } finally {
    closeSync(fd);
  }
}
