import { BundlePath } from '../schemas/exit-bundle.js';
import { MAILBOX_STATE_RE, MBOX_RE } from './mail-layout.js';

/** The signed manifest's member name; it is always the archive's last member (spec/exit-bundle.md §1). */
export const MANIFEST_PATH = 'manifest.json';
export const TRUSTED_ROOT_PATH = 'trusted-root.json';
export const RECORD_PATH = 'imvu/record.json';
export const CHAIN_PATH = 'ledger/chain.jsonl';
export const HEAD_PROOF_PATH = 'ledger/head-proof.json';
export const INCLUSION_PATH = 'ledger/inclusion.jsonl';
export const CONSISTENCY_PATH = 'ledger/consistency.jsonl';
export const DOCUMENTS_DIR = 'ledger/documents/';

/** `dns/<zone>/state.json`: the zone state whose digest the ledger recorded. */
export const zoneStatePath = (zone: string): string => `dns/${zone}/state.json`;
export const ZONE_STATE_RE = /^dns\/([^/]+)\/state\.json$/;

const PATH_RE = new RegExp(BundlePath.pattern ?? '^$');

/** True when `path` is a member name the bundle grammar allows (no traversal, no absolute path). */
export function isBundlePath(path: string): boolean {
  return path.length <= (BundlePath.maxLength ?? 1024) && PATH_RE.test(path);
}

/** The files the verifier must read (small, JSON); every other member is only hashed. */
export function needsContent(path: string): boolean {
  return path === MANIFEST_PATH || path === TRUSTED_ROOT_PATH || path === RECORD_PATH || path.startsWith('ledger/') || ZONE_STATE_RE.test(path) || MAILBOX_STATE_RE.test(path) || MBOX_RE.test(path);
}

/** The files verify worker threads read in place (the chain and its inclusion proofs), so they are held in shared memory. */
export function sharedContent(path: string): boolean {
  return path === CHAIN_PATH || path === INCLUSION_PATH;
}
