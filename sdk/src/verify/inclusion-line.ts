import { fromBase64 } from '../encoding/base64.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail, isNexusError } from '../errors/index.js';
import { verifyInclusion } from '../merkle/verify-inclusion.js';

/**
 * Checks one line of an inclusion-proof file (`{"logIndex","hashes"}`, spec/exit-bundle.md
 * §2): it proves the leaf `leaf` at its index in the tree of `size` leaves with root `root`.
 * `i` is the line's number, which failures name.
 */
export function checkInclusionLine(line: Uint8Array, i: number, leaf: Uint8Array, size: number, root: Uint8Array): void {
  let p: { logIndex?: unknown; hashes?: unknown };
  try {
    p = JSON.parse(fromUtf8(line, `/${i}`)) as typeof p;
  } catch (cause) {
    throw fail('INPUT_INVALID', 'not JSON', `/${i}`, cause);
  }
  if (p === null || typeof p !== 'object' || typeof p.logIndex !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(p.logIndex) || !Array.isArray(p.hashes)) {
    throw fail('MERKLE_PROOF_MALFORMED', 'expected {"logIndex","hashes"}', `/${i}`);
  }
  const proof = p.hashes.map((h: unknown, j) => fromBase64(typeof h === 'string' ? h : '', `/${i}/hashes/${j}`));
  try {
    verifyInclusion({ index: Number(p.logIndex), size, leafHash: leaf, proof, root });
  } catch (e) {
    throw isNexusError(e) ? fail(e.code, e.message, `/${i}${e.field ?? ''}`, e) : e;
  }
}
