import { Type, type Static } from '@sinclair/typebox';
import { DidKey, ImvuId, Jurisdiction } from './common.js';
import { Envelope } from './envelope.js';
import { Imvu, ImvuQuotas, Purpose } from './imvu.js';

/**
 * The HTTP API's request bodies, path parameters and error body (appliance routes and the
 * OpenAPI document are generated from these). They are wire shapes, not signed formats:
 * no media type, no `$id`, and every object closed so an unknown member is refused.
 */

const Reason = Type.String({ minLength: 1, maxLength: 1024 });
const closed = { additionalProperties: false } as const;

/** `POST /v1/identities`: the request's signature by the new key is its proof of possession. */
const RegisterIdentity = Type.Object(
  {
    jurisdiction: Jurisdiction,
    consents: Type.Array(Purpose, { minItems: 1, maxItems: 64, uniqueItems: true }),
    recoveryKeys: Type.Optional(Type.Array(DidKey, { minItems: 1, maxItems: 8, uniqueItems: true })),
  },
  closed,
);

/** `POST /v1/identities/rotate`: a KeyRotation envelope by the old key or a recovery key. */
const RotateKey = Type.Object({ rotation: Envelope }, closed);
/** `POST /v1/identities/revoke`. */
const RevokeKey = Type.Object({ reason: Reason }, closed);
/** `POST /v1/identities/recovery`. */
const AddRecoveryKey = Type.Object({ recoveryKey: DidKey }, closed);

/** `POST /v1/imvus`: the signer becomes the owner. */
const CreateImvu = Type.Object(
  {
    jurisdiction: Jurisdiction,
    consents: Type.Array(Purpose, { minItems: 1, maxItems: 64, uniqueItems: true }),
    storagePool: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' })),
    quotas: Type.Optional(ImvuQuotas),
  },
  closed,
);

/** `PATCH /v1/imvus/:id`: the fields an owner may change. */
const UpdateImvu = Type.Object({ jurisdiction: Type.Optional(Jurisdiction) }, { ...closed, minProperties: 1 });
// An operator change needs a stated reason (gate 12). The schema lets a missing or empty one
// through on purpose: gate 12 refuses it, and the refusal is logged, which a 400 would not be.
const OptionalReason = Type.Optional(Type.String({ maxLength: 1024 }));
/** Suspend and resume. */
const WithReason = Type.Object({ reason: OptionalReason }, closed);
/** `POST /v1/imvus/:id/quota`. */
const ChangeQuota = Type.Object({ quotas: ImvuQuotas, reason: OptionalReason }, closed);
/** `POST /v1/imvus/:id/consents`. */
const GrantConsent = Type.Object({ purpose: Purpose }, closed);

/** Path and query parameters, as the strings they arrive as (never coerced). */
const Index = Type.String({ pattern: '^(?:0|[1-9][0-9]{0,15})$' });
const IdentityParams = Type.Object({ did: DidKey }, closed);
const ImvuParams = Type.Object({ id: ImvuId }, closed);
const ConsentParams = Type.Object({ id: ImvuId, purpose: Purpose }, closed);
const InclusionParams = Type.Object({ index: Index }, closed);
const ConsistencyQuery = Type.Object({ old: Index, new: Index }, closed);

/** Every refusal: a documented code (spec/errors.md), a message, and the offending field. */
const ErrorBody = Type.Object(
  { code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }), message: Type.String(), field: Type.Optional(Type.String()) },
  closed,
);

/** `GET /healthz`: overall status and one entry per component. */
const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]),
  components: Type.Record(Type.String(), Type.Object({ status: Type.String(), detail: Type.Optional(Type.String()) })),
  /** The platform key (did:key), so an operator can tell the same appliance answers after a reinstall or reboot. */
  platformKey: Type.Optional(DidKey),
});

/** The API's wire schemas by name. */
export const API_SCHEMAS = {
  RegisterIdentity, RotateKey, RevokeKey, AddRecoveryKey,
  CreateImvu, UpdateImvu, WithReason, ChangeQuota, GrantConsent,
  IdentityParams, ImvuParams, ConsentParams, InclusionParams, ConsistencyQuery,
  ImvuList: Type.Array(Imvu),
  ErrorBody, Health,
} as const;

/** Body of `POST /v1/identities`. */
export type RegisterIdentityRequest = Static<typeof RegisterIdentity>;
/** Body of `POST /v1/imvus`. */
export type CreateImvuRequest = Static<typeof CreateImvu>;
/** Body of `POST /v1/imvus/:id/quota`. */
export type ChangeQuotaRequest = Static<typeof ChangeQuota>;
/** The JSON body of every refusal. */
export type ApiErrorBody = Static<typeof ErrorBody>;
