import { NexusError, fromUtf8 } from '@nexus-cos/sdk';
import { parseZoneName } from '../domain/dns/index.js';
import type { DnssecMaterial } from '../ports/dns.js';

/** The bundle's DNSSEC section: zones whose keys it carries sealed, and what each zone published. */
export interface ImportedDnssec {
  /** Zones with a `secrets/dns/<zone>/keys.json.sealed` member, sorted. */
  readonly sealed: readonly string[];
  /** Each zone's `dns/<zone>/dnssec.json`: the DNSKEY and DS A served (the DS is at the parent). */
  readonly published: ReadonlyMap<string, DnssecMaterial>;
}

export const SEALED_KEYS = /^secrets\/dns\/([^/]+)\/keys\.json\.sealed$/;
const PUBLISHED = /^dns\/([^/]+)\/dnssec\.json$/;

/** The sealed keys member of a zone. */
export const sealedKeysPath = (zone: string): string => `secrets/dns/${zone}/keys.json.sealed`;

/**
 * Reads which zones carry sealed keys (each name passes the DNS grammar before it is used
 * anywhere) and every zone's published DNSKEY/DS. Sealed keys of a zone the bundle does not
 * carry, or without its dnssec.json, are refused: there would be nothing to check them against.
 */
export function readDnssec(paths: Iterable<string>, files: ReadonlyMap<string, Uint8Array>, zones: readonly string[]): ImportedDnssec {
  const published = new Map<string, DnssecMaterial>();
  for (const [path, bytes] of files) {
    const z = PUBLISHED.exec(path)?.[1];
    if (z !== undefined) published.set(parseZoneName(z, path), materialOf(path, bytes));
  }
  const sealed: string[] = [];
  for (const path of paths) {
    const z = SEALED_KEYS.exec(path)?.[1];
    if (z === undefined) continue;
    const zone = parseZoneName(z, path);
    if (!zones.includes(zone)) throw new NexusError('BUNDLE_STATE_MISMATCH', `sealed keys of ${zone}, a zone the bundle does not carry`, { field: path });
    if (!published.has(zone)) throw new NexusError('BUNDLE_FILE_MISSING', 'sealed keys need the DNSKEY and DS the zone published', { field: `dns/${zone}/dnssec.json` });
    sealed.push(zone);
  }
  return { sealed: sealed.sort(), published };
}

function materialOf(path: string, bytes: Uint8Array): DnssecMaterial {
  let j: { dnskey?: unknown; ds?: unknown };
  try {
    j = JSON.parse(fromUtf8(bytes)) as typeof j;
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'not JSON', { field: path, cause });
  }
  const list = (x: unknown, f: string): string[] => {
    if (!Array.isArray(x) || !x.every((r) => typeof r === 'string' && r.length <= 4096)) throw new NexusError('BUNDLE_STATE_MISMATCH', `${f} is a list of rdata strings`, { field: `${path}#/${f}` });
    return [...(x as string[])].sort();
  };
  return { dnskey: list(j.dnskey, 'dnskey'), ds: list(j.ds, 'ds') };
}
