import { Type, type Static } from '@sinclair/typebox';
import { DidKey, ImvuId, Timestamp } from './common.js';
import { Envelope } from './envelope.js';

const closed = { additionalProperties: false } as const;
const Digest = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** `POST /v1/imvus/:id/exit/hold`: a LegalHold envelope signed by the requesting operator. */
const PlaceHold = Type.Object({ hold: Envelope }, closed);

/** A hold in force as the owner is shown it: the signed reason, its signer and the envelope's digest. */
const HoldView = Type.Object({ imvu: ImvuId, reason: Type.String(), signedBy: DidKey, envelopeDigest: Digest, placedAt: Timestamp }, closed);

/** The answer of hold and release: the hold in force, or none. */
const HoldStatus = Type.Object({ imvu: ImvuId, hold: Type.Union([HoldView, Type.Null()]) }, closed);

/** `POST /v1/imvus/:id/exit?gzip=1`: the query is signed with the path. */
const ExitQuery = Type.Object({ gzip: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])) }, closed);

/** A refusal of an exit under a legal hold: the error body plus the hold. */
const HeldError = Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()), hold: HoldView }, closed);

/** The exit API's wire schemas by name. */
export const EXIT_API_SCHEMAS = { PlaceHold, HoldView, HoldStatus, ExitQuery, HeldError } as const;
export type HoldView = Static<typeof HoldView>;
export type HoldStatus = Static<typeof HoldStatus>;
