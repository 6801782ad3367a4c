import { NexusError, isErrorCode } from '../errors/index.js';
import { fromUtf8 } from '../encoding/utf8.js';

/** What came back for one request, before interpretation. */
export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

const excerpt = (body: Uint8Array): string => {
  const text = Buffer.from(body.subarray(0, 200)).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length === 0 ? '' : `: ${text}`;
};

/**
 * The error a non-2xx answer means. A body `{code, message, field?}` with a documented code
 * becomes that NexusError, so callers branch on the server's code exactly as on a local one;
 * anything else (a proxy's HTML, a bare 502) is HTTP_ERROR naming the status.
 */
export function errorFromResponse(method: string, path: string, r: RawResponse): NexusError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(r.body));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const { code, message, field } = parsed as { code?: unknown; message?: unknown; field?: unknown };
    if (isErrorCode(code) && typeof message === 'string') {
      return new NexusError(code, message, typeof field === 'string' ? { field } : {});
    }
  }
  return new NexusError('HTTP_ERROR', `${method} ${path}: HTTP ${r.status}${excerpt(r.body)}`);
}

/** Parses a 2xx JSON body; a body that is not JSON is HTTP_ERROR, not a crash. */
export function jsonBody(method: string, path: string, r: RawResponse): unknown {
  try {
    return JSON.parse(fromUtf8(r.body));
  } catch (cause) {
    throw new NexusError('HTTP_ERROR', `${method} ${path}: HTTP ${r.status} with a body that is not JSON`, { cause });
  }
}

/** A 2xx text body (the checkpoint note), as UTF-8. */
export function textBody(method: string, path: string, r: RawResponse): string {
  try {
    return fromUtf8(r.body);
  } catch (cause) {
    throw new NexusError('HTTP_ERROR', `${method} ${path}: HTTP ${r.status} with a body that is not UTF-8`, { cause });
  }
}
