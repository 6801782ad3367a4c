import { NexusError } from '@nexus-cos/sdk';

/** The refusal of every check in this folder: DNS_RECORD_INVALID naming the offending member. */
export const invalid = (why: string, field: string): NexusError => new NexusError('DNS_RECORD_INVALID', why, { field });
