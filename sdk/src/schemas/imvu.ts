import { Type, type Static } from '@sinclair/typebox';
import { DidKey, ImvuId, Jurisdiction, Timestamp, assertSchema } from './common.js';

/** Media type of an IMVU record. */
export const IMVU_MEDIA_TYPE = 'application/vnd.nexus-cos.imvu.v1+json';
/** Media type of a Consent record. */
export const CONSENT_MEDIA_TYPE = 'application/vnd.nexus-cos.consent.v1+json';

/** A fully qualified domain name: lower-case LDH labels, no trailing dot (RFC 1035 limits). */
export const DomainName = Type.String({
  pattern: '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$',
  maxLength: 253,
});
/** A mailbox address `local@domain`, lower-case, dot-atom local part only (no quoting tricks). */
export const Mailbox = Type.String({
  pattern: '^[a-z0-9!#$%&\'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&\'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$',
  maxLength: 254,
});
/** A VM or network name: safe as a libvirt name and as a file name. */
export const ResourceName = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });
/** A machine-readable purpose id (`mail.hosting`), compared exactly by gate 10. */
export const Purpose = Type.String({ pattern: '^[a-z][a-z0-9_-]*(?:\\.[a-z][a-z0-9_-]*)*$', maxLength: 64 });

/** Lifecycle state of an IMVU; `exiting` may not be blocked except by a signed legal hold (gate 15). */
export const ImvuStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('exiting'),
  Type.Literal('exited'),
]);
export type ImvuStatus = Static<typeof ImvuStatus>;

/** A recorded consent for one purpose (gate 10); a set `withdrawnAt` ends it. */
export const Consent = Type.Object(
  {
    purpose: Purpose,
    grantedBy: DidKey,
    grantedAt: Timestamp,
    withdrawnAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false, $id: 'Consent', title: 'Consent v1' },
);
export type Consent = Static<typeof Consent>;

/** Everything an IMVU owns, by name; each list is unique so a resource binds once (gate 2). */
export const ImvuResources = Type.Object(
  {
    domains: Type.Array(DomainName, { maxItems: 1024, uniqueItems: true }),
    mailboxes: Type.Array(Mailbox, { maxItems: 4096, uniqueItems: true }),
    vms: Type.Array(ResourceName, { maxItems: 1024, uniqueItems: true }),
    networks: Type.Array(ResourceName, { maxItems: 256, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type ImvuResources = Static<typeof ImvuResources>;

const count = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 });

/** Resource ceilings; a change needs a signed notice first (gate 12). */
export const ImvuQuotas = Type.Object(
  { vcpus: count, memoryMiB: count, diskGiB: count, vms: count },
  { additionalProperties: false },
);
export type ImvuQuotas = Static<typeof ImvuQuotas>;

/** The tenant unit: bound to one owner identity, tagged with a jurisdiction (gate 9). */
export const Imvu = Type.Object(
  {
    id: ImvuId,
    owner: DidKey,
    jurisdiction: Jurisdiction,
    status: ImvuStatus,
    createdAt: Timestamp,
    resources: ImvuResources,
    quotas: ImvuQuotas,
    consents: Type.Array(Consent, { maxItems: 1024 }),
  },
  { additionalProperties: false, $id: 'Imvu', title: 'IMVU v1' },
);
export type Imvu = Static<typeof Imvu>;

/** Asserts `x` is an IMVU v1, without changing it. */
export function assertImvuV1(x: unknown): asserts x is Imvu {
  assertSchema(Imvu, x, 'PAYLOAD_INVALID');
}

/** Asserts `x` is a Consent v1, without changing it. */
export function assertConsentV1(x: unknown): asserts x is Consent {
  assertSchema(Consent, x, 'PAYLOAD_INVALID');
}
