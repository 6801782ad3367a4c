const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Every SHA-256-hex string inside an entry: the documents it may name (zone states,
 * envelopes, rate cards). Exporters carry the ones the ledger holds; verifiers accept no
 * document that no entry names.
 */
export function namedDigests(x: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof x === 'string') {
    // The length first: a verifier walks every string of every entry, and few are digests.
    if (x.length === 64 && HEX64.test(x)) out.add(x);
  } else if (Array.isArray(x)) {
    for (const v of x) namedDigests(v, out);
  } else if (x !== null && typeof x === 'object') {
    for (const v of Object.values(x)) namedDigests(v, out);
  }
  return out;
}
