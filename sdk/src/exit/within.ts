import { fail, isNexusError } from '../errors/index.js';

/** Runs `f`; a coded failure inside gets the bundle file prefixed to its field, so reports name the file. */
export function within<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!isNexusError(e)) throw e;
    throw fail(e.code, e.message, `${path}#${e.field ?? ''}`, e);
  }
}
