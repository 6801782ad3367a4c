import type { ErrorCode } from './codes.js';

// Branded with a global symbol (as undici does) so that `isNexusError` works across
// two copies of the SDK in one process, where `instanceof` would not.
const BRAND = Symbol.for('nexus-cos.error');

/** Optional detail attached to an error: the offending field and the underlying cause. */
export interface NexusErrorDetail {
  /** JSON-pointer-like path of the input that was refused, e.g. `/signatures/0/sig`. */
  readonly field?: string;
  readonly cause?: unknown;
}

/** The one error class of the SDK and the appliance. Tests assert on `code`, never on text. */
export class NexusError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, detail: NexusErrorDetail = {}) {
    super(message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.name = 'NexusError';
    this.code = code;
    this.field = detail.field;
  }

  /** A plain object safe to print or send: code, message and field, never the cause's internals. */
  toJSON(): { code: ErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/** True for any NexusError, even one thrown by another copy of the SDK. */
export function isNexusError(x: unknown): x is NexusError {
  return typeof x === 'object' && x !== null && (x as { [BRAND]?: unknown })[BRAND] === true;
}

/** Shorthand used everywhere a check fails: `throw fail('KEY_INVALID', '...', '/key')`. */
export function fail(code: ErrorCode, message: string, field?: string, cause?: unknown): NexusError {
  const detail: { field?: string; cause?: unknown } = {};
  if (field !== undefined) detail.field = field;
  if (cause !== undefined) detail.cause = cause;
  return new NexusError(code, message, detail);
}
