import { Type, type Static } from '@sinclair/typebox';
import { ImvuId, Sha256Hex, Timestamp } from './common.js';

/**
 * Wire shapes of the compute and network routes (issue 8). Like API_SCHEMAS they are not
 * signed formats: closed objects, no media type. The appliance checks ranges and grammar
 * again in its domain rules, which name the field of every refusal.
 */

const closed = { additionalProperties: false } as const;
const VmName = Type.String({ pattern: '^[a-z][a-z0-9]{0,15}$' });
const Count = Type.Integer({ minimum: 0 });

/** `POST /v1/imvus/:id/vms`: the declared spec of a VM. */
const VmSpec = Type.Object(
  { name: VmName, vcpus: Count, memoryMiB: Count, diskGiB: Count, image: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' }) },
  closed,
);

/** A VM as the API shows it: its declared spec and state (no host paths). */
const Vm = Type.Object(
  {
    imvu: ImvuId,
    spec: VmSpec,
    state: Type.Union([Type.Literal('defined'), Type.Literal('running'), Type.Literal('stopped')]),
    pool: Type.String(),
    snapshots: Type.Array(Type.String()),
    createdAt: Timestamp,
  },
  closed,
);

const VmParams = Type.Object({ id: ImvuId, name: VmName }, closed);
/** `POST .../stop`: `force` pulls the plug instead of an ACPI shutdown. */
const StopVm = Type.Object({ force: Type.Optional(Type.Boolean()) }, closed);
/** `POST .../snapshots`. */
const SnapshotVm = Type.Object({ snapshot: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }) }, closed);

const Rule = Type.Object(
  { proto: Type.Union([Type.Literal('tcp'), Type.Literal('udp'), Type.Literal('icmp')]), cidr: Type.String({ maxLength: 18 }), port: Type.Optional(Type.Integer()) },
  closed,
);
const NetworkPolicy = Type.Object({ ingress: Type.Array(Rule, { maxItems: 64 }), egress: Type.Array(Rule, { maxItems: 64 }) }, closed);
/** `PUT /v1/imvus/:id/network` (owner) and `POST .../network/change` (operator, with a reason). */
const DeclareNetwork = Type.Object({ policy: NetworkPolicy, reason: Type.Optional(Type.String({ maxLength: 1024 })) }, closed);
/** An IMVU network and the digest of its declared policy (named in its notice). */
const Network = Type.Object({ imvu: ImvuId, policy: NetworkPolicy, declared: Sha256Hex, updatedAt: Timestamp }, closed);
/** What the kernel holds compared with what was declared. */
const NetworkCheck = Type.Object(
  {
    imvu: ImvuId,
    declared: Sha256Hex,
    drift: Type.Array(Type.Object({ chain: Type.String(), kind: Type.Union([Type.Literal('missing'), Type.Literal('unexpected')]), rule: Type.String() }, closed)),
  },
  closed,
);

/** The compute routes' wire schemas by name. */
export const COMPUTE_API_SCHEMAS = { VmSpec, Vm, VmList: Type.Array(Vm), VmParams, StopVm, SnapshotVm, DeclareNetwork, Network, NetworkCheck } as const;

/** A VM's declared spec on the wire. */
export type VmSpecBody = Static<typeof VmSpec>;
/** A VM as the API shows it. */
export type VmView = Static<typeof Vm>;
