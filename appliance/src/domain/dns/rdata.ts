import { invalid } from './errors.js';
import { fqdn, parseName } from './name.js';
import { parseQuotedStrings, quoteBytes } from './text.js';
import type { RRType } from './types.js';

/**
 * Record data: each type is parsed into its fields and rendered back in one canonical
 * presentation form. Input must already be in that grammar (single spaces, no comments,
 * no parentheses), so what reaches knotc is exactly what was checked here.
 */

type Bad = (why: string) => Error;

const uint = (s: string | undefined, max: number, what: string, bad: Bad): number => {
  if (s === undefined || !/^(?:0|[1-9][0-9]{0,9})$/.test(s) || Number(s) > max) throw bad(`${what} is an integer from 0 to ${max}`);
  return Number(s);
};

const fields = (rdata: string, n: number, bad: Bad): string[] => {
  const f = rdata.split(' ');
  if (f.length !== n || f.some((x) => x.length === 0)) throw bad(`expected ${n} fields separated by single spaces`);
  return f;
};

// A target that may be the root (`.`): a null MX (RFC 7505) or "no service" SRV (RFC 2782).
const targetOrRoot = (s: string | undefined, field: string): string => (s === '.' ? '.' : fqdn(parseName(s, field, 'host')));

function ipv4(s: string, bad: Bad): string {
  const parts = s.split('.');
  if (parts.length !== 4) throw bad('an IPv4 address is four dotted decimal octets');
  return parts.map((p) => uint(p, 255, 'an IPv4 octet', bad)).join('.');
}

function ipv6(s: string, bad: Bad): string {
  // Hex, colons and an optional dotted IPv4 tail only: no zone ids, no brackets.
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(s)) throw bad('not an IPv6 address');
  let host: string;
  try {
    host = new URL(`http://[${s}]/`).hostname;
  } catch {
    throw bad('not an IPv6 address');
  }
  // WHATWG URL serialises IPv6 in RFC 5952 form (lower case, longest zero run compressed).
  return host.slice(1, -1);
}

function tlsa(f: string[], bad: Bad): string {
  const usage = uint(f[0], 3, 'TLSA usage', bad);
  const selector = uint(f[1], 1, 'TLSA selector', bad);
  const mtype = uint(f[2], 2, 'TLSA matching type', bad);
  const data = (f[3] ?? '').toLowerCase();
  if (!/^(?:[0-9a-f]{2})+$/.test(data)) throw bad('TLSA data is an even number of hex digits');
  const want = mtype === 1 ? 64 : mtype === 2 ? 128 : undefined;
  if (want !== undefined && data.length !== want) throw bad(`TLSA matching type ${mtype} carries ${want / 2} octets`);
  if (data.length > 8192) throw bad('TLSA data is too long');
  return `${usage} ${selector} ${mtype} ${data}`;
}

function caa(rdata: string, bad: Bad, field: string): string {
  const m = /^([0-9]{1,3}) ([A-Za-z0-9]{1,15}) (".*")$/.exec(rdata);
  if (m === null) throw bad('CAA is `flags tag "value"`');
  const flags = uint(m[1], 255, 'CAA flags', bad);
  const [value] = parseQuotedStrings(m[3] ?? '', field, 1);
  return `${flags} ${(m[2] ?? '').toLowerCase()} ${quoteBytes(value ?? new Uint8Array())}`;
}

/** Parses one record's data for `type` and returns its canonical form. */
export function canonicalRdata(type: RRType, rdata: unknown, field: string): string {
  const bad: Bad = (why) => invalid(`${type}: ${why}`, field);
  if (typeof rdata !== 'string' || rdata.length === 0 || rdata.length > 65_535) throw bad('record data is a non-empty string');
  switch (type) {
    case 'A':
      return ipv4(rdata, bad);
    case 'AAAA':
      return ipv6(rdata, bad);
    case 'CNAME':
      return fqdn(parseName(rdata, field, 'owner'));
    case 'NS':
      return fqdn(parseName(rdata, field, 'host'));
    case 'MX': {
      const f = fields(rdata, 2, bad);
      return `${uint(f[0], 65_535, 'MX preference', bad)} ${targetOrRoot(f[1], field)}`;
    }
    case 'SRV': {
      const f = fields(rdata, 4, bad);
      const [p, w, port] = [f[0], f[1], f[2]].map((x) => uint(x, 65_535, 'SRV priority, weight and port', bad));
      return `${p} ${w} ${port} ${targetOrRoot(f[3], field)}`;
    }
    case 'TXT':
      return parseQuotedStrings(rdata, field).map(quoteBytes).join(' ');
    case 'CAA':
      return caa(rdata, bad, field);
    case 'TLSA':
      return tlsa(fields(rdata, 4, bad), bad);
  }
}
