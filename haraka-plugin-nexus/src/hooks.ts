import type { Next, PluginThis } from './haraka.js';
import { tempfail } from './reply.js';

/**
 * Wraps a hook so that it calls `next` exactly once and never lets an error escape: in
 * Haraka an exception inside a hook counts as "continue", which would accept the mail.
 */
export function guarded<A extends unknown[]>(name: string, fn: (this: PluginThis, next: Next, ...args: A) => Promise<void> | void) {
  return function (this: PluginThis, next: Next, ...args: A): void {
    let done = false;
    const once: Next = (code, msg) => {
      if (done) return;
      done = true;
      next(code, msg);
    };
    const fail = (err: unknown) => {
      this.logerror(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      once(...tempfail());
    };
    try {
      Promise.resolve(fn.call(this, once, ...args)).catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}
