import DSN from 'haraka-dsn';
import constants from 'haraka-constants';
import type { ChannelRefusal } from '../../appliance/src/mail/channel/protocol.js';
import { UNREACHABLE } from './channel.js';

/** Haraka's return code and the DSN for a refusal: DENY for 5xx, DENYSOFT for anything else. */
export function refusal(r: Pick<ChannelRefusal, 'code' | 'status' | 'text'>): [number, DSN] {
  const [, subject, detail] = r.status.split('.').map(Number);
  const permanent = r.code >= 500 && r.code < 600 && r.status.startsWith('5.');
  // A reply that does not agree with itself is not trusted to refuse for good: retry later.
  if (!permanent && !(r.code >= 400 && r.code < 500)) return refusal(UNREACHABLE);
  return [permanent ? constants.deny : constants.denysoft, DSN.create(r.code, r.text, subject ?? 0, detail ?? 0)];
}

/** The tempfail every internal error becomes (never an accept). */
export const tempfail = (): [number, DSN] => refusal(UNREACHABLE);
