import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { NexusError } from '@nexus-cos/sdk';
import { createPlatformKey, readPlatformKey } from './platform-key.js';
import { dataFiles } from './schema.js';

/** What `nexus-cos init` decides once. */
export interface InitOptions {
  readonly dataDir: string;
  /** The log's origin, which names the ledger forever (default `<hostname>/nexus-cos`). */
  readonly origin?: string;
  /** Where this box's storage is, for gate 14 (default `EU`). */
  readonly jurisdiction?: string;
}

/** What init did. */
export interface InitResult {
  readonly dataDir: string;
  readonly platformKey: string;
  readonly created: boolean;
}

/**
 * Creates the data directory (0700), the platform key (0600) and config.json. Idempotent:
 * an existing key and config are kept (and their permissions checked), never replaced.
 */
export function initDataDir(opts: InitOptions): InitResult {
  const files = dataFiles(opts.dataDir);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (!statSync(opts.dataDir).isDirectory()) throw new NexusError('CONFIG_INVALID', `${opts.dataDir} is not a directory`, { field: '/dataDir' });
  // mkdir's mode is masked by the umask and ignored for an existing dir: set it outright.
  chmodSync(opts.dataDir, 0o700);
  const created = !existsSync(files.key);
  const signer = created ? createPlatformKey(files.key) : readPlatformKey(files.key);
  if (!existsSync(files.config)) {
    const origin = opts.origin ?? `${hostname().replace(/[^\x21-\x7e]/g, '') || 'localhost'}/nexus-cos`;
    const config = { ledger: { origin }, storagePools: { local: opts.jurisdiction ?? 'EU' } };
    writeFileSync(files.config, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  return { dataDir: opts.dataDir, platformKey: signer.publicKey.id, created };
}
