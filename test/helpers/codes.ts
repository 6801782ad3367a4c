import type { Test } from 'tap';
import { isNexusError, type ErrorCode } from '../../sdk/src/errors/index.js';

type Tap = Pick<Test, 'ok' | 'equal' | 'fail'>;

/** Asserts that `fn` throws a NexusError with exactly `code` (never matches on message text). */
export function throwsCode(t: Tap, fn: () => unknown, code: ErrorCode, msg = `throws ${code}`): void {
  try {
    fn();
  } catch (e) {
    t.ok(isNexusError(e), `${msg}: is a NexusError`);
    t.equal(isNexusError(e) ? e.code : e, code, msg);
    return;
  }
  t.fail(`${msg}: did not throw`);
}

/** Async form of throwsCode. */
export async function rejectsCode(t: Tap, fn: () => Promise<unknown>, code: ErrorCode, msg = `rejects ${code}`): Promise<void> {
  try {
    await fn();
  } catch (e) {
    t.ok(isNexusError(e), `${msg}: is a NexusError`);
    t.equal(isNexusError(e) ? e.code : e, code, msg);
    return;
  }
  t.fail(`${msg}: did not reject`);
}
