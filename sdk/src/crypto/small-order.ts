import { fromHex } from '../encoding/hex.js';

/**
 * The canonical encodings of the eight points of the Ed25519 torsion subgroup (order 1,
 * 2, 4 and 8). A test proves that each decodes strictly, is of small order, and that
 * the eight are distinct, so the list is complete: a strict decoder admits no other
 * encoding of a small-order point.
 */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
].map((h) => fromHex(h));

/** True when 32 bytes are the canonical encoding of a small-order point. */
export function isSmallOrderEncoding(p: Uint8Array): boolean {
  outer: for (const s of SMALL_ORDER_ENCODINGS) {
    for (let i = 0; i < 32; i++) if (s[i] !== p[i]) continue outer;
    return true;
  }
  return false;
}
