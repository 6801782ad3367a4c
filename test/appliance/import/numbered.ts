// An IMVU with a number of the test's choosing. Networks, bridges and nft tables are
// host-wide and named from the IMVU's number, and tap runs files in parallel, so each test
// that makes them needs a number no other test uses (stacks number from IMVU-001).
import type { LocalSigner } from '@nexus-cos/sdk';
import { caller } from '../compute/harness.js';
import type { Stack } from '../http/harness.js';

const consents = { jurisdiction: 'DE', consents: ['identity.attributes'] };

/** Creates `owner`'s IMVU numbered `n` (after a placeholder row numbered n-1); returns its id. */
export async function numberedImvu(s: Stack, owner: LocalSigner, n: number): Promise<string> {
  const first = (await s.services.imvus.create(caller(owner), consents)).id;
  const row = s.registry.imvu(first);
  if (row === undefined) throw new Error('no record');
  await s.registry.change((w) => w.insertImvu({ ...row, id: `IMVU-${String(n - 1).padStart(3, '0')}` }), () => Promise.resolve([]));
  const id = (await s.services.imvus.create(caller(owner), consents)).id;
  if (id !== `IMVU-${String(n).padStart(3, '0')}`) throw new Error(`expected IMVU number ${n}, got ${id}`);
  return id;
}
