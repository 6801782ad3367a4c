// The tree hashes take shortcuts around crypto.hash's per-call allocation (a hex string for
// leaves, bytes in Node's shared pool for nodes): they must still be exactly SHA-256 of the
// RFC 9162 inputs, and each node's bytes must stay its own when later nodes are made.
import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { toHex } from '../../../sdk/src/encoding/hex.js';
import { leafHash, leafHashHex, nodeHash } from '../../../sdk/src/merkle/hash.js';

const sha = (...parts: Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

t.test('leafHashHex is the hex of SHA-256(0x00 || data), for short, long and empty data', async (t) => {
  for (const n of [0, 1, 65, 446, 65_535, 65_536, 200_000]) {
    const d = randomBytes(n);
    t.equal(leafHashHex(d), sha(Uint8Array.of(0), d), `${n} bytes`);
    t.equal(leafHashHex(d), toHex(leafHash(d)), `${n} bytes: as leafHash`);
  }
});

t.test('nodeHash is SHA-256(0x01 || left || right), and earlier results are not overwritten', async (t) => {
  const made: [Uint8Array, string][] = [];
  // More nodes than one 8 KiB pool holds, so pools are replaced along the way.
  for (let i = 0; i < 1000; i++) {
    const [l, r] = [randomBytes(32), randomBytes(32)];
    const h = nodeHash(l, r);
    t.equal(h.length, 32);
    made.push([h, sha(Uint8Array.of(1), l, r)]);
  }
  t.ok(made.every(([h, want]) => toHex(h) === want), 'every node still holds its own hash');
  t.ok(made.every(([h]) => Object.getPrototypeOf(h) === Uint8Array.prototype), 'plain Uint8Array views, as before');
});
