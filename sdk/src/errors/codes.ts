/**
 * The closed set of error codes. spec/errors.md documents every one of them and a test
 * fails when the two drift apart, so adding a code means documenting it.
 */
export const ERROR_CODES = [
  'INPUT_INVALID',
  'ENCODING_INVALID',
  'CANONICAL_JSON_UNSUPPORTED',
  'KEY_INVALID',
  'KEY_SMALL_ORDER',
  'DID_INVALID',
  'SIGNATURE_MALFORMED',
  'SIGNATURE_INVALID',
  'SIGNATURE_UNTRUSTED',
  'JSON_NOT_CANONICAL',
  'ENVELOPE_MALFORMED',
  'ENVELOPE_PAYLOAD_TYPE',
  'PAYLOAD_INVALID',
  'MERKLE_INDEX_OUT_OF_RANGE',
  'MERKLE_PROOF_MALFORMED',
  'MERKLE_PROOF_INVALID',
  'CONSISTENCY_PROOF_INVALID',
  'NOTE_MALFORMED',
  'NOTE_UNSIGNED',
  'CHECKPOINT_MALFORMED',
  'CHECKPOINT_ORIGIN',
  'TRUST_ROOT_INVALID',
  'SLICE_INCOMPLETE',
  'LEDGER_INTEGRITY',
  'LEDGER_UNAVAILABLE',
  'DUPLICATE_EVENT',
  'REVENUE_SPLIT_VIOLATION',
  'STATEMENT_MISMATCH',
  'RATE_CARD_MISSING',
  'GATE_IDENTITY_PROOF',
  'GATE_RESOURCE_BINDING',
  'GATE_REVENUE_LAW',
  'GATE_METERING_COVERAGE',
  'GATE_LEDGER_INTEGRITY',
  'GATE_DOMAIN_OWNERSHIP',
  'GATE_DNS_MUTATION',
  'GATE_MAIL_IDENTITY',
  'GATE_JURISDICTION',
  'GATE_CONSENT',
  'GATE_AUDIT',
  'GATE_CAPACITY_HONESTY',
  'GATE_NETWORK_HONESTY',
  'GATE_DATA_RESIDENCY',
  'GATE_EXIT_READINESS',
  'GATE_KEY_LIFECYCLE',
  'GATE_NON_REPUDIATION',
  'POLICY_DENIED',
  'UNKNOWN_ACTION',
  'USAGE',
] as const;

/** One of the documented error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

/** True when `x` is one of the documented error codes. */
export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && CODE_SET.has(x);
}
