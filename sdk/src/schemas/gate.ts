import { Type, type Static } from '@sinclair/typebox';
import { DidKey, ImvuId, Sha256Hex, Timestamp, assertSchema } from './common.js';

/** Media type of a GateDecision record. */
export const GATE_DECISION_MEDIA_TYPE = 'application/vnd.nexus-cos.gate-decision.v1+json';

/** The 17 gate names in gate order (BRIEF; spec/gates.md is normative). Index 0 is gate 1. */
export const GATE_NAME_LIST = [
  'Identity Proof',
  'Resource Binding',
  'Revenue Law',
  'Metering Coverage',
  'Ledger Integrity',
  'Domain Ownership',
  'DNS Mutation Authorization',
  'Mail Identity',
  'Jurisdiction Tagging',
  'Consent Logging',
  'Audit Logging',
  'Capacity Honesty',
  'Network Honesty',
  'Data Residency',
  'Exit Readiness',
  'Key Lifecycle',
  'Platform Non-Repudiation',
] as const;

/** A gate's display name. */
export type GateName = (typeof GATE_NAME_LIST)[number];

/** Gate number (1..17) to name. */
export const GATE_NAMES: Readonly<Record<number, GateName>> = Object.freeze(
  Object.fromEntries(GATE_NAME_LIST.map((name, i) => [i + 1, name])),
);

/** A gate number, 1..17. */
export const GateId = Type.Integer({ minimum: 1, maximum: GATE_NAME_LIST.length });
export type GateId = Static<typeof GateId>;

/** One of the 17 gate names, so a typo cannot pass as a gate. */
export const GateNameSchema = Type.Union(GATE_NAME_LIST.map((n) => Type.Literal(n)));

/** Outcome of one gate; `not_applicable` is recorded rather than omitted so a reader sees every gate was considered. */
export const GateOutcome = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('not_applicable')]);
export type GateOutcome = Static<typeof GateOutcome>;

/** A machine-readable reason code (`UPPER_SNAKE`). */
const ReasonCode = Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,63}$' });
/** A dotted action name such as `dns.zone.update`. */
export const ActionName = Type.String({ pattern: '^[a-z][a-z0-9_-]*(?:\\.[a-z][a-z0-9_-]*)*$', maxLength: 128 });

/** The verdict of one gate, with string-only evidence so it canonicalizes without floats. */
export const GateResult = Type.Object(
  {
    gate: GateId,
    name: GateNameSchema,
    result: GateOutcome,
    code: Type.Optional(ReasonCode),
    evidence: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' }), Type.String({ maxLength: 4096 }), {
      additionalProperties: false,
      maxProperties: 64,
    }),
  },
  { additionalProperties: false },
);
export type GateResult = Static<typeof GateResult>;

/**
 * The signed record of one gated action, shaped after the SLSA verification summary
 * attestation: who decided (deciders ~ verifier), against which policy (policyDigest),
 * about what (resource), when (time ~ timeVerified) and the overall verdict.
 */
export const GateDecision = Type.Object(
  {
    action: ActionName,
    actor: DidKey,
    resource: Type.String({ minLength: 1, maxLength: 512 }),
    imvu: Type.Optional(ImvuId),
    results: Type.Array(GateResult, { minItems: 1, maxItems: GATE_NAME_LIST.length }),
    decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
    policyDigest: Sha256Hex,
    deciders: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 16, uniqueItems: true }),
    time: Timestamp,
  },
  { additionalProperties: false, $id: 'GateDecision', title: 'Gate decision v1' },
);
export type GateDecision = Static<typeof GateDecision>;

/** Asserts `x` is a GateDecision v1, without changing it. */
export function assertGateDecisionV1(x: unknown): asserts x is GateDecision {
  assertSchema(GateDecision, x, 'PAYLOAD_INVALID');
}
