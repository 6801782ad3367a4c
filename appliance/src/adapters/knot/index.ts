/** The Knot DNS adapter of the Dns port. */
export { KnotDns, type KnotDnsOptions } from './knot-dns.js';
export { importPemArgs, zoneKeys } from './keystore.js';
export { KeyedMutex } from './mutex.js';
export { parseZoneRead, type ReadRecord } from './zone-read.js';
