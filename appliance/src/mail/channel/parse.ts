import type { ChannelRequest } from './protocol.js';

const str = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const optStr = (x: unknown, max: number): boolean => x === undefined || str(x, max);

/**
 * Checks one request line's shape; undefined when it is not a request we know. Nothing is
 * coerced: a field of the wrong type makes the whole request unknown.
 */
export function parseRequest(line: string): ChannelRequest | undefined {
  let x: unknown;
  try {
    x = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (x === null || typeof x !== 'object') return undefined;
  const r = x as Record<string, unknown>;
  if (!Number.isSafeInteger(r.id)) return undefined;
  switch (r.op) {
    case 'auth':
      return str(r.user, 320) && str(r.password, 1024) ? (r as unknown as ChannelRequest) : undefined;
    case 'mail':
      return optStr(r.user, 320) && str(r.from, 1024) ? (r as unknown as ChannelRequest) : undefined;
    case 'rcpt':
      return optStr(r.user, 320) && str(r.to, 1024) ? (r as unknown as ChannelRequest) : undefined;
    case 'data':
      return str(r.user, 320) && str(r.from, 1024) && Array.isArray(r.headerFrom) && r.headerFrom.length <= 100 && r.headerFrom.every((a) => str(a, 1024))
        ? (r as unknown as ChannelRequest) : undefined;
    case 'meter':
      return optStr(r.user, 320) && str(r.message, 80) && Number.isSafeInteger(r.bytes) && typeof r.sha256 === 'string' && SHA256_HEX.test(r.sha256) && Array.isArray(r.recipients) && r.recipients.length <= 1000 && r.recipients.every((a) => str(a, 320))
        ? (r as unknown as ChannelRequest) : undefined;
    default:
      return undefined;
  }
}

/** The id of a request line that failed its shape check, so the refusal still reaches its asker. */
export function requestId(line: string): number {
  try {
    const x = JSON.parse(line) as { id?: unknown } | null;
    return x !== null && typeof x === 'object' && Number.isSafeInteger(x.id) ? (x.id as number) : -1;
  } catch {
    return -1;
  }
}
