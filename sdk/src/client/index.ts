export { NexusClient } from './nexus-client.js';
export type { NexusClientOptions } from './options.js';
export type { RegisterIdentityBody, CreateImvuBody, UpdateImvuBody, HealthReport, ComponentHealth } from './types.js';
export { DomainsClient } from './domains.js';
export type { Domain, DomainChallenge, DriftReport, ZoneExport, RRsetChangeBody } from '../schemas/dns.js';
