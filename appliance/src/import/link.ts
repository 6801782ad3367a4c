import type { OpenedBundle } from './bundle.js';
import type { EffectItem } from '../services/effects.js';
import { ENVELOPE_MEDIA_TYPE, sha256, toHex } from '@nexus-cos/sdk';

const NDJSON = 'application/x-ndjson';
const JSON_TYPE = 'application/json';


/**
 * B's first entry for an imported IMVU, signed by the platform: the link from the new chain
 * to the old anchor checkpoint, head and manifest. The imported chain, its head proof and the
 * manifest travel with it as ledger documents, so the evidence is kept in the data directory,
 * named by digest, and carried by B's own exit bundle in turn.
 */
export function importItem(platform: string, imvu: string, b: OpenedBundle): EffectItem {
  const doc = (bytes: Uint8Array, mediaType: string) => ({ digest: toHex(sha256(bytes)), mediaType, bytes });
  const chain = doc(b.evidence.chain, NDJSON);
  const proof = doc(b.evidence.headProof, JSON_TYPE);
  const manifest = doc(b.evidence.manifest, ENVELOPE_MEDIA_TYPE);
  return {
    draft: { kind: 'import', imvu, actor: platform, ...b.anchor, chain: chain.digest, proof: proof.digest },
    documents: [chain, proof, manifest],
  };
}
