// Bundle verification on one thread and on worker threads must reach the same verdict and
// the same first failure. Small test bundles stay below the size where workers take over,
// so each check here runs both ways: workers from the first entry on, with two threads.
import { verifyExitBundle, type LoadedTrustedRoot, type VerifiedBundle } from '@nexus-cos/sdk';

export type Outcome = VerifiedBundle | { readonly code?: string; readonly field?: string; readonly message?: string };

const outcome = (b: Uint8Array, root: LoadedTrustedRoot | undefined, parallelFrom: number): Promise<Outcome> => verifyExitBundle([b], root, { parallelFrom, threads: 2 }).then(
  (v) => v,
  (e: { code?: string; field?: string; message?: string }) => ({ code: e.code ?? 'not coded', field: e.field ?? '', message: e.message ?? '' }),
);

/** The outcome on one thread, then on worker threads. */
export async function bothPaths(b: Uint8Array, root?: LoadedTrustedRoot): Promise<[Outcome, Outcome]> {
  return [await outcome(b, root, Infinity), await outcome(b, root, 0)];
}
