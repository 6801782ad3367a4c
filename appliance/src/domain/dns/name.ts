import { invalid } from './errors.js';

/**
 * Domain names, strictly. Every name is absolute; the API writes it without the trailing
 * dot and lower-case (`www.example.org`), and a single trailing dot is accepted and dropped,
 * so `www` can never be read as relative to something. Only ASCII: IDNs come as A-labels.
 */

/** The longest name in text form without the trailing dot (RFC 1035's 255 octets on the wire). */
export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

// LDH (RFC 952/1123): letters, digits, hyphen; no hyphen at either end.
const LDH = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
// Owner names may also carry service labels (`_dmarc`, `_443._tcp`, `_nexus-challenge`).
const SERVICE = /^_[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** How strict a name must be: a host (LDH only) or an owner (service labels and a leading `*`). */
export type NameKind = 'host' | 'owner';

/** Normalises and checks a name; raises DNS_RECORD_INVALID naming `field`. */
export function parseName(input: unknown, field: string, kind: NameKind = 'host'): string {
  if (typeof input !== 'string') throw invalid('a domain name must be a string', field);
  const lower = input.toLowerCase();
  const name = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  if (name.length === 0) throw invalid('the root and empty names are not accepted', field);
  if (name.length > MAX_NAME_LENGTH) throw invalid(`a domain name is at most ${MAX_NAME_LENGTH} characters`, field);
  const labels = name.split('.');
  labels.forEach((label, i) => {
    if (label.length === 0) throw invalid('a domain name has an empty label', field);
    if (label.length > MAX_LABEL_LENGTH) throw invalid(`a label is at most ${MAX_LABEL_LENGTH} characters`, field);
    if (LDH.test(label)) return;
    if (kind === 'owner' && SERVICE.test(label)) return;
    if (kind === 'owner' && label === '*' && i === 0) return;
    throw invalid(`label ${JSON.stringify(label.slice(0, 70))} is not a letter-digit-hyphen label`, field);
  });
  return name;
}

/** A name in zone-file form: always absolute, so Knot never appends an origin. */
export const fqdn = (name: string): string => `${name}.`;

/** True when `name` is `zone` itself or below it (both already normalised). */
export const inZone = (name: string, zone: string): boolean => name === zone || name.endsWith(`.${zone}`);

/** Checks a zone's own name: a host name with at least two labels (no TLD zones here). */
export function parseZoneName(input: unknown, field = '/zone'): string {
  const zone = parseName(input, field, 'host');
  if (!zone.includes('.')) throw invalid('a zone needs at least two labels', field);
  return zone;
}
