import { canonicalBytes } from '../encoding/canonical-json.js';
import { jsonBody } from './response.js';
import type { Transport } from './transport.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One JSON request: the body as canonical JSON (deterministic bytes, and a float or unsafe
 * integer is refused here rather than silently rounded on the way out), the answer checked
 * against its schema.
 */
export async function sendJson<T>(t: Transport, method: Method, path: string, body: object | undefined, check: (x: unknown) => asserts x is T): Promise<T> {
  const bytes = body === undefined ? undefined : canonicalBytes(body);
  const r = await t.send(method, path, bytes);
  const value = jsonBody(method, path, r);
  check(value);
  return value;
}

// A path segment as sent. `:` is a legal pchar (RFC 3986), so a did:key stays readable.
export const seg = (s: string): string => encodeURIComponent(s).replace(/%3A/gi, ':');
