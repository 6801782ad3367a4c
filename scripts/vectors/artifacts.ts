import { canonicalize } from '../../sdk/src/encoding/canonical-json.js';
import { toBase64 } from '../../sdk/src/encoding/base64.js';
import { fromHex } from '../../sdk/src/encoding/hex.js';
import { consistencyProof, inclusionProof, leafHash, rootFromLeafHashes } from '../../sdk/src/merkle/index.js';
import { formatCheckpoint, signNote } from '../../sdk/src/note/index.js';
import { TRUSTED_ROOT_MEDIA_TYPE } from '../../sdk/src/schemas/trusted-root.js';
import { LocalSigner } from '../../sdk/src/sign/local-signer.js';
import { buildEnvelopeVectors, VECTOR_SEEDS } from './envelope.js';

/** The origin of the vector log, which is also the name its key signs notes under. */
export const VECTOR_ORIGIN = 'vectors.nexus-cos.invalid/log';

/** Leaf i of the artifact log: the UTF-8 text `entry <i>` (any byte string would do). */
export const artifactLeaf = (i: number): Uint8Array => new TextEncoder().encode(`entry ${i}`);

/**
 * The files `imvu-verify` reads, written to spec/vectors/artifacts/. JSON artifacts are
 * canonical JSON plus one LF, so every byte of each file is significant.
 */
export function buildArtifacts(): Record<string, string | Uint8Array> {
  const platform = LocalSigner.fromSeed(fromHex(VECTOR_SEEDS.platform));
  const leaves = Array.from({ length: 70 }, (_, i) => leafHash(artifactLeaf(i)));
  const checkpoint = (size: number): string =>
    signNote(formatCheckpoint({ origin: VECTOR_ORIGIN, size: BigInt(size), root: rootFromLeafHashes(leaves.slice(0, size)) }), [
      { name: VECTOR_ORIGIN, signer: platform },
    ]);
  const json = (v: unknown): string => `${canonicalize(v)}\n`;
  const b64 = (hs: Uint8Array[]): string[] => hs.map((h) => toBase64(h));
  return {
    'trusted-root.json': json({ mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin: VECTOR_ORIGIN, keys: [{ name: VECTOR_ORIGIN, publicKey: platform.publicKey.id }] }),
    'envelope.json': json(buildEnvelopeVectors().artifact),
    'checkpoint.note': checkpoint(70),
    'leaf-17.bin': artifactLeaf(17),
    'inclusion.json': json({
      v: 1, logIndex: '17', treeSize: '70', leafHash: toBase64(leaves[17] as Uint8Array), hashes: b64(inclusionProof(17, leaves)), checkpoint: checkpoint(70),
    }),
    'consistency.json': json({
      v: 1, oldSize: '33', newSize: '70', hashes: b64(consistencyProof(33, 70, leaves)), oldCheckpoint: checkpoint(33), newCheckpoint: checkpoint(70),
    }),
  };
}

/** How each artifact is checked: the `imvu-verify` arguments, relative to the artifacts folder. */
export const ARTIFACT_COMMANDS: Record<string, string[]> = {
  'envelope.json': ['envelope', 'envelope.json', '--payload-type', 'application/vnd.nexus-cos.ledger-entry.v1+json'],
  'checkpoint.note': ['checkpoint', 'checkpoint.note'],
  'inclusion.json': ['inclusion', 'inclusion.json', '--leaf', 'leaf-17.bin'],
  'consistency.json': ['consistency', 'consistency.json'],
  'trusted-root.json': ['checkpoint', 'checkpoint.note'],
  'leaf-17.bin': ['inclusion', 'inclusion.json', '--leaf', 'leaf-17.bin'],
};
