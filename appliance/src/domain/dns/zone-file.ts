import { invalid } from './errors.js';
import { fqdn, parseName, parseZoneName } from './name.js';

/** What a new zone starts with: its name servers and the SOA contact. */
export interface ZoneOptions {
  readonly nameservers: readonly string[];
  /** `hostmaster@example.org`; the local part is one LDH label (no `\.` escapes needed). */
  readonly soaEmail: string;
}

/** SOA timers (refresh, retry, expire, negative TTL) and the apex TTL, in seconds. */
export const SOA_TIMERS = [3600, 900, 1_209_600, 300] as const;
export const APEX_TTL = 3600;

/** The SOA RNAME for an e-mail address: `hostmaster@example.org` becomes `hostmaster.example.org.` */
export function soaRname(email: unknown): string {
  const at = typeof email === 'string' ? email.indexOf('@') : -1;
  if (typeof email !== 'string' || at < 1) throw invalid('soaEmail is local@domain', '/soaEmail');
  const local = parseName(email.slice(0, at), '/soaEmail', 'host');
  if (local.includes('.')) throw invalid('the soaEmail local part has no dots', '/soaEmail');
  return fqdn(`${local}.${parseName(email.slice(at + 1), '/soaEmail', 'host')}`);
}

/** The initial RFC 1035 master file: SOA and NS only (Knot refuses a zone without them). */
export function initialZoneFile(zoneInput: string, opts: ZoneOptions): string {
  const zone = parseZoneName(zoneInput);
  if (!Array.isArray(opts.nameservers) || opts.nameservers.length === 0 || opts.nameservers.length > 13) {
    throw invalid('a zone has 1 to 13 name servers', '/nameservers');
  }
  const ns = [...new Set(opts.nameservers.map((n, i) => fqdn(parseName(n, `/nameservers/${i}`, 'host'))))];
  const primary = ns[0] ?? '';
  const origin = fqdn(zone);
  return [
    `${origin} ${APEX_TTL} SOA ${primary} ${soaRname(opts.soaEmail)} 1 ${SOA_TIMERS.join(' ')}`,
    ...ns.map((n) => `${origin} ${APEX_TTL} NS ${n}`),
    '',
  ].join('\n');
}
