import { fail, isNexusError } from '../errors/index.js';

/** A coded failure with the bundle file prefixed to its field; anything else unchanged. */
function prefixed(path: string, e: unknown): unknown {
  return isNexusError(e) ? fail(e.code, e.message, `${path}#${e.field ?? ''}`, e) : e;
}

/** Runs `f`; a coded failure inside gets the bundle file prefixed to its field, so reports name the file. */
export function within<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw prefixed(path, e);
  }
}

/** within for an async step. */
export async function withinAsync<T>(path: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw prefixed(path, e);
  }
}
