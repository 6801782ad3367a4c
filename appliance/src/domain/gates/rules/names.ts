/**
 * Domain names and mail addresses as gates 6, 7 and 8 compare them: DNS names are
 * case-insensitive and a trailing root dot is the same name (RFC 4343, RFC 1034 §3.1);
 * a mailbox's local part is compared exactly, its domain case-insensitively (RFC 5321 §2.4).
 */

const LABEL = /^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/** The lower-case name without its trailing dot, or undefined when it is not a valid DNS name. */
export function normalizeName(x: unknown): string | undefined {
  if (typeof x !== 'string') return undefined;
  const n = (x.endsWith('.') ? x.slice(0, -1) : x).toLowerCase();
  if (n.length === 0 || n.length > 253) return undefined;
  const labels = n.split('.');
  // A wildcard is only ever the leftmost label (RFC 4592); empty labels are `..` or a leading dot.
  if (!labels.every((l, i) => LABEL.test(l) && (l !== '*' || i === 0))) return undefined;
  return n;
}

/** True when `name` is `zone` itself or a name under it (both already normalized). */
export function withinZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** True when `domain` is in `list`, compared as DNS names. */
export function hasDomain(list: readonly string[], domain: string): boolean {
  return list.some((d) => normalizeName(d) === domain);
}

/** A mail address split at its last `@`, the domain normalized; undefined when malformed. */
export interface Address {
  readonly local: string;
  readonly domain: string;
}

/** Parses `local@domain`; the null reverse-path `<>` and bracketed forms are refused. */
export function parseAddress(x: unknown): Address | undefined {
  if (typeof x !== 'string' || x.length > 320) return undefined;
  const at = x.lastIndexOf('@');
  if (at <= 0 || at > 64) return undefined;
  const local = x.slice(0, at);
  const domain = normalizeName(x.slice(at + 1));
  if (domain === undefined || domain.includes('*') || /[\s<>]/.test(local)) return undefined;
  return { local, domain };
}

/** True when `addr` names one of `mailboxes`: local part exact, domain case-insensitive. */
export function hasMailbox(mailboxes: readonly string[], addr: Address): boolean {
  return mailboxes.some((m) => {
    const b = parseAddress(m);
    return b !== undefined && b.local === addr.local && b.domain === addr.domain;
  });
}
