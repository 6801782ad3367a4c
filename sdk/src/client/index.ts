export { NexusClient } from './nexus-client.js';
export type { NexusClientOptions } from './options.js';
export type { RegisterIdentityBody, CreateImvuBody, UpdateImvuBody, HealthReport, ComponentHealth } from './types.js';
