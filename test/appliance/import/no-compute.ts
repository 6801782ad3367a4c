// An appliance without compute, refusing a bundle with a compute or network section.
import type { Test } from 'tap';
import type { LocalSigner } from '@nexus-cos/sdk';
import { register, send, stack } from '../http/harness.js';

/** Imports `bundle` as `owner` into a fresh appliance without compute; asserts it refused naming `field`, leaving nothing. */
export async function refusedWithoutCompute(t: Test, owner: LocalSigner, bundle: Buffer, manifest: string, imvu: string, field: string): Promise<void> {
  const c = await stack({ noCompute: true });
  t.teardown(() => c.close());
  await register(c.app, owner);
  const before = c.ledger.tree.size;
  const r = await send(c.app, owner, 'POST', `/v1/imports?manifest=${manifest}`, undefined, { raw: bundle, contentType: 'application/x-tar' });
  t.equal(r.statusCode, 422, 'unprocessable');
  t.match(r.json(), { code: 'IMPORT_SECTION_UNSUPPORTED', field }, `names ${field}, the first member it cannot carry`);
  await c.ledger.flush();
  t.equal(c.ledger.tree.size, before, 'not even a decision was logged');
  t.equal(c.registry.imvu(imvu), undefined, 'no IMVU record');
}
