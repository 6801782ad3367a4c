import t from 'tap';
import { buildMerkleVectors } from '../../../scripts/vectors/merkle.js';

// The builder checks every case against the verifier itself; here we check that it is
// deterministic and plain JSON, so the generated file can be diffed in CI.
t.test('merkle vectors are deterministic plain JSON', async (t) => {
  const a = JSON.stringify(buildMerkleVectors());
  t.equal(JSON.stringify(JSON.parse(a)), a);
  t.equal(JSON.stringify(buildMerkleVectors()), a);
  const v = JSON.parse(a) as { roots: { size: number; root: string }[]; reference: { roots: string[] } };
  t.equal(v.roots.length, 71);
  t.equal(v.reference.roots[8], '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
});
