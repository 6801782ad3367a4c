import { ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { fromHex } from '../encoding/hex.js';

/**
 * The canonical encodings of the eight points of the Ed25519 torsion subgroup (order 1,
 * 2, 4 and 8), as noble publishes them. A test proves that each decodes strictly, is of
 * small order, and that the eight are distinct, so a strict decoder admits no other
 * encoding of a small-order point and this list is complete.
 */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = ED25519_TORSION_SUBGROUP.map((h) => fromHex(h));

/** True when 32 bytes are the canonical encoding of a small-order point. */
export function isSmallOrderEncoding(p: Uint8Array): boolean {
  outer: for (const s of SMALL_ORDER_ENCODINGS) {
    for (let i = 0; i < 32; i++) if (s[i] !== p[i]) continue outer;
    return true;
  }
  return false;
}
