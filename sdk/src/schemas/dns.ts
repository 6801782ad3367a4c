import { Type, type Static } from '@sinclair/typebox';
import { DidKey, ImvuId, Sha256Hex, Timestamp, assertSchema } from './common.js';
import { DomainName } from './imvu.js';

/**
 * DNS: the wire shapes of the domain API and the one signed DNS format, the transfer
 * authorization. RRset members are checked loosely here on purpose: the appliance's strict
 * DNS grammar answers DNS_RECORD_INVALID naming the exact member (`/rrsets/3/records/0`).
 */

const closed = { additionalProperties: false } as const;
const RRType = Type.Union([
  Type.Literal('A'), Type.Literal('AAAA'), Type.Literal('CNAME'), Type.Literal('MX'), Type.Literal('TXT'),
  Type.Literal('SRV'), Type.Literal('CAA'), Type.Literal('NS'), Type.Literal('TLSA'),
]);
const Owner = Type.String({ minLength: 1, maxLength: 253 });

/** One RRset, as served and as the ledger's zone state holds it (records canonical). */
export const RRset = Type.Object(
  { name: Owner, type: RRType, ttl: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 }), records: Type.Array(Type.String({ maxLength: 4096 }), { minItems: 1, maxItems: 1000 }) },
  closed,
);
export type RRset = Static<typeof RRset>;

/** A change member: replace the RRset (name, type) with `records`, or delete it. */
const RRsetChange = Type.Union([
  RRset,
  Type.Object({ name: Owner, type: RRType, delete: Type.Literal(true) }, closed),
]);

/** `POST /v1/imvus/:id/domains`. */
const ClaimDomain = Type.Object({ domain: DomainName }, closed);
/** `PATCH /v1/imvus/:id/domains/:domain/rrsets`: applied atomically, all or none. */
const ChangeRRsets = Type.Object({ rrsets: Type.Array(RRsetChange, { minItems: 1, maxItems: 5000 }) }, closed);
/** `POST /v1/imvus/:id/domains/:domain/transfer`: whom the domain is released to. */
const TransferDomain = Type.Object({ to: Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' }) }, closed);
const DomainParams = Type.Object({ id: ImvuId, domain: DomainName }, closed);

/** The TXT record the owner publishes to prove control (draft-ietf-dnsop-domain-verification-techniques). */
const DomainChallenge = Type.Object(
  {
    domain: DomainName,
    imvu: ImvuId,
    record: Type.Object({ name: Type.String(), type: Type.Literal('TXT'), ttl: Type.Integer(), value: Type.String() }, closed),
    expiresAt: Timestamp,
  },
  closed,
);

/** DNSSEC public material for the owner's registrar. */
const Dnssec = Type.Object({ dnskey: Type.Array(Type.String()), ds: Type.Array(Type.String()) }, closed);

/** A bound domain: the RRsets the ledger says it holds, and its DS records. */
const Domain = Type.Object(
  { domain: DomainName, imvu: ImvuId, boundAt: Timestamp, digest: Sha256Hex, rrsets: Type.Array(RRset), dnssec: Dnssec },
  closed,
);

/** What Knot serves compared with what the ledger says: `ok`, or `drift` with the differences. */
const DriftReport = Type.Object(
  {
    domain: DomainName,
    status: Type.Union([Type.Literal('ok'), Type.Literal('drift'), Type.Literal('missing')]),
    expected: Sha256Hex,
    served: Type.Union([Sha256Hex, Type.Null()]),
    missing: Type.Array(Type.String()),
    unexpected: Type.Array(Type.String()),
    changed: Type.Array(Type.String()),
    foreign: Type.Array(Type.String()),
  },
  closed,
);

/** `GET .../export`: the zone as an RFC 1035 master file, its DNSSEC material, the digest the ledger recorded. */
const ZoneExport = Type.Object(
  { domain: DomainName, imvu: ImvuId, digest: Sha256Hex, rrsets: Type.Array(RRset), zonefile: Type.String(), dnssec: Dnssec },
  closed,
);

/** Media type of a signed transfer authorization. */
export const DNS_TRANSFER_MEDIA_TYPE = 'application/vnd.nexus-cos.dns-transfer.v1+json';

/**
 * A transfer authorization, signed by the platform after the owner's signed request passed
 * the gates: the domain is released to `releasedTo`, with the DS records the registrar
 * holds and the digest of the zone state as the ledger last recorded it.
 */
export const DnsTransfer = Type.Object(
  {
    v: Type.Literal(1),
    domain: DomainName,
    imvu: ImvuId,
    owner: DidKey,
    releasedTo: Type.String({ minLength: 1, maxLength: 256 }),
    zoneDigest: Sha256Hex,
    ds: Type.Array(Type.String({ maxLength: 512 }), { maxItems: 16 }),
    decision: Sha256Hex,
    issuedAt: Timestamp,
    expiresAt: Timestamp,
  },
  { additionalProperties: false, $id: 'DnsTransfer', title: 'DNS transfer authorization v1' },
);
export type DnsTransfer = Static<typeof DnsTransfer>;

/** Asserts `x` is a DnsTransfer v1, without changing it. */
export function assertDnsTransferV1(x: unknown): asserts x is DnsTransfer {
  assertSchema(DnsTransfer, x, 'PAYLOAD_INVALID');
}

/** The DNS API's wire schemas by name. */
export const DNS_API_SCHEMAS = { ClaimDomain, ChangeRRsets, TransferDomain, DomainParams, DomainChallenge, Domain, DomainList: Type.Array(Domain), DriftReport, ZoneExport } as const;

/** One member of a change request (replace or delete). */
export type RRsetChangeBody = Static<typeof RRsetChange>;
export type DomainChallenge = Static<typeof DomainChallenge>;
export type Domain = Static<typeof Domain>;
export type DriftReport = Static<typeof DriftReport>;
export type ZoneExport = Static<typeof ZoneExport>;

/** Answer guards for the client: each asserts a v1 wire shape without changing it. */
export function assertDomainV1(x: unknown): asserts x is Domain {
  assertSchema(Domain, x, 'PAYLOAD_INVALID');
}
export function assertDomainListV1(x: unknown): asserts x is Domain[] {
  assertSchema(DNS_API_SCHEMAS.DomainList, x, 'PAYLOAD_INVALID');
}
export function assertDomainChallengeV1(x: unknown): asserts x is DomainChallenge {
  assertSchema(DomainChallenge, x, 'PAYLOAD_INVALID');
}
export function assertDriftReportV1(x: unknown): asserts x is DriftReport {
  assertSchema(DriftReport, x, 'PAYLOAD_INVALID');
}
export function assertZoneExportV1(x: unknown): asserts x is ZoneExport {
  assertSchema(ZoneExport, x, 'PAYLOAD_INVALID');
}
