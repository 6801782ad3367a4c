import type { RRset, RRsetChange, ZoneOptions } from '../domain/dns/index.js';

/** A zone's owner-managed content as served: the SOA serial and the supported RRsets, sorted. */
export interface ZoneContent {
  readonly zone: string;
  readonly serial: number;
  readonly rrsets: readonly RRset[];
  /** `name TYPE` of served records of types the owner cannot manage and Knot does not own: drift. */
  readonly foreign: readonly string[];
}

/** DNSSEC public material for the owner's registrar: the KSK's DNSKEY and its DS records (rdata). */
export interface DnssecMaterial {
  readonly dnskey: readonly string[];
  readonly ds: readonly string[];
}

/**
 * One DNSSEC private key as the server's key store holds it, with what another server needs
 * to import it under the same key tag (`keymgr <zone> import-pem`), so the DS stays valid.
 */
export interface DnssecKeyExport {
  /** The key store's id (40 hex digits). */
  readonly id: string;
  readonly tag: number;
  /** DNSSEC algorithm number (13 = ECDSAP256SHA256). */
  readonly algorithm: number;
  readonly size: number;
  readonly ksk: boolean;
  readonly zsk: boolean;
  /** Timing attributes (Unix seconds; 0 = unset), named as keymgr names them. */
  readonly timers: Readonly<Record<string, number>>;
  /** The private key, PKCS#8 PEM. A tenant secret: it only leaves sealed to the owner. */
  readonly pem: string;
}

/**
 * The authoritative DNS server. Every name and record is validated by domain/dns before it
 * reaches the server; implementations raise DNS_RECORD_INVALID, DNS_ZONE_UNKNOWN,
 * DNS_BACKEND_FAILED or CONFLICT, never return a failure flag.
 */
export interface Dns {
  /** Serves a new DNSSEC-signed zone holding only its SOA and NS; resolves once it is served. */
  createZone(zone: string, opts: ZoneOptions): Promise<void>;
  /** Applies all RRset changes atomically (all or none); resolves with the new SOA serial. */
  applyChange(zone: string, rrsets: readonly unknown[]): Promise<{ serial: number }>;
  /** Makes the zone serve exactly `rrsets` (a full state), deleting anything else, atomically. */
  restore(zone: string, rrsets: readonly RRset[]): Promise<{ serial: number }>;
  /** The RRsets the server holds now (SOA and DNSSEC records left out). */
  readZone(zone: string): Promise<ZoneContent>;
  /** The signed zone as an RFC 1035 master file. */
  exportZone(zone: string): Promise<string>;
  /** DNSKEY and DS of the zone's key-signing key. */
  dnssec(zone: string): Promise<DnssecMaterial>;
  /** The zone's DNSSEC private keys, for an exit (absent on servers that cannot export them). */
  dnssecKeys?(zone: string): Promise<DnssecKeyExport[]>;
  /**
   * Puts another server's DNSSEC keys in place for a zone not served yet, so createZone signs
   * with them (an import keeps the DS at the parent). CONFLICT when the zone or keys exist.
   */
  importDnssecKeys?(zone: string, keys: readonly DnssecKeyExport[]): Promise<void>;
  /** Removes the zone's keys and the key files of `ids` from the key store: the undo of importDnssecKeys. */
  removeDnssecKeys?(zone: string, ids: readonly string[]): Promise<void>;
  /** Stops serving the zone and removes its configuration, zone file, journal and keys. */
  deleteZone(zone: string): Promise<void>;
}

export type { RRset, RRsetChange, ZoneOptions };
