import { canonicalBytes } from '../encoding/canonical-json.js';
import { fromBase64, toBase64 } from '../encoding/base64.js';
import { fail } from '../errors/index.js';
import { leafHash } from '../merkle/hash.js';
import { rootFromLeafHashes } from '../merkle/accumulator.js';

/**
 * The head of one chain at a checkpoint: its last sequence number and that entry's hash.
 * Committing every chain's head in the signed checkpoint lets a holder of one IMVU's
 * entries prove its slice is complete, not merely included.
 */
export interface ChainHead {
  readonly chain: string;
  readonly seq: string;
  readonly head: string;
}

/** Checkpoint extension line keyword for the heads commitment. */
export const HEADS_EXTENSION = 'nexus-cos.heads/v1';

/** The leaf data of one head in the heads tree: canonical JSON `{"chain","head","seq"}`. */
export function headLeafData(h: ChainHead): Uint8Array {
  return canonicalBytes({ chain: h.chain, head: h.head, seq: h.seq });
}

/** Sorts heads by chain name (UTF-16 order, as canonical JSON sorts keys); the tree's order. */
export function sortHeads(heads: Iterable<ChainHead>): ChainHead[] {
  return [...heads].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
}

/** RFC 6962 root over the sorted heads' leaf data. */
export function headsRoot(sorted: readonly ChainHead[]): Uint8Array {
  return rootFromLeafHashes(sorted.map((h) => leafHash(headLeafData(h))));
}

/** The extension line: `nexus-cos.heads/v1 <count> <base64 root>`. */
export function formatHeadsExtension(sorted: readonly ChainHead[]): string {
  return `${HEADS_EXTENSION} ${sorted.length} ${toBase64(headsRoot(sorted))}`;
}

/** Parses the heads extension line among a checkpoint's extensions (exactly one required). */
export function parseHeadsExtension(extensions: readonly string[]): { count: number; root: Uint8Array } {
  const lines = extensions.filter((l) => l.startsWith(`${HEADS_EXTENSION} `));
  if (lines.length !== 1) throw fail('CHECKPOINT_MALFORMED', 'expected one heads extension line', '/extensions');
  const m = /^nexus-cos\.heads\/v1 (0|[1-9][0-9]{0,8}) ([A-Za-z0-9+/]{43}=)$/.exec(lines[0] as string);
  if (m === null) throw fail('CHECKPOINT_MALFORMED', 'malformed heads extension line', '/extensions');
  return { count: Number(m[1]), root: fromBase64(m[2] as string, '/extensions') };
}
