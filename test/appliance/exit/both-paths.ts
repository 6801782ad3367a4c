// Bundle verification on one thread and on worker threads must reach the same verdict and
// the same first failure. Small test bundles stay below the size where workers take over,
// so each check here runs every way: on one thread; on workers from the first entry on, once
// the whole archive is read; and on workers that start on the chain while it streams in
// (the archive fed in small chunks, batches of 7, so the chain arrives over many of them).
import { setImmediate as tick } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { verifyExitBundle, type LoadedTrustedRoot, type VerifiedBundle, type VerifyBundleOptions } from '@nexus-cos/sdk';

export type Outcome = VerifiedBundle | { readonly code?: string; readonly field?: string; readonly message?: string };

const outcome = (source: AsyncIterable<Uint8Array> | Uint8Array[], root: LoadedTrustedRoot | undefined, opts: VerifyBundleOptions): Promise<Outcome> => verifyExitBundle(source, root, opts).then(
  (v) => v,
  (e: { code?: string; field?: string; message?: string }) => ({ code: e.code ?? 'not coded', field: e.field ?? '', message: e.message ?? '' }),
);

/** `b` in chunks of `size` bytes, yielding to the event loop between them so workers answer meanwhile. */
export async function* chunked(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < b.length; at += size) {
    yield b.subarray(at, at + size);
    await tick();
  }
}

/**
 * The outcome on one thread, then on worker threads. The second is the streamed one when it
 * equals the one that waited for the whole archive, else both, so a difference fails the
 * caller's comparison too.
 */
export async function bothPaths(b: Uint8Array, root?: LoadedTrustedRoot): Promise<[Outcome, Outcome]> {
  const one = await outcome([b], root, { parallelFrom: Infinity });
  const waited = await outcome([b], root, { parallelFrom: 0, threads: 2, batch: 7, stream: false });
  const streamed = await outcome(chunked(b, 1000), root, { parallelFrom: 0, threads: 2, batch: 7 });
  return [one, isDeepStrictEqual(streamed, waited) ? streamed : { waited, streamed } as unknown as Outcome];
}
