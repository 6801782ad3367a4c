import { NexusError, isNexusError, type ErrorCode } from '@nexus-cos/sdk';

/**
 * The one table from error code to HTTP status. Typed over every code, so a code added to
 * the SDK without a status here does not compile. 4xx: the request was refused and changed
 * nothing (gate denials are logged, nothing else); 5xx: the appliance could not serve it.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  // The request itself is malformed.
  INPUT_INVALID: 400,
  ENCODING_INVALID: 400,
  CANONICAL_JSON_UNSUPPORTED: 400,
  KEY_INVALID: 400,
  KEY_SMALL_ORDER: 400,
  DID_INVALID: 400,
  JSON_NOT_CANONICAL: 400,
  PAYLOAD_INVALID: 400,
  USAGE: 400,
  DNS_RECORD_INVALID: 400,
  // The request's signature (spec/requests.md) does not authenticate it.
  SIGNATURE_MALFORMED: 401,
  SIGNATURE_INVALID: 401,
  SIGNATURE_UNTRUSTED: 401,
  ENVELOPE_MALFORMED: 401,
  ENVELOPE_PAYLOAD_TYPE: 401,
  // Authenticated, but a gate or the policy refused.
  GATE_IDENTITY_PROOF: 403,
  GATE_RESOURCE_BINDING: 403,
  GATE_REVENUE_LAW: 403,
  GATE_METERING_COVERAGE: 403,
  GATE_DOMAIN_OWNERSHIP: 403,
  GATE_DNS_MUTATION: 403,
  GATE_MAIL_IDENTITY: 403,
  GATE_JURISDICTION: 403,
  GATE_CONSENT: 403,
  GATE_CAPACITY_HONESTY: 403,
  GATE_NETWORK_HONESTY: 403,
  GATE_DATA_RESIDENCY: 403,
  GATE_EXIT_READINESS: 403,
  GATE_KEY_LIFECYCLE: 403,
  GATE_NON_REPUDIATION: 403,
  POLICY_DENIED: 403,
  UNKNOWN_ACTION: 403,
  NOT_FOUND: 404,
  DNS_ZONE_UNKNOWN: 404,
  CONFLICT: 409,
  DUPLICATE_EVENT: 409,
  BODY_TOO_LARGE: 413,
  MEDIA_TYPE_UNSUPPORTED: 415,
  // A submitted artifact was well-formed but does not verify or reconcile.
  MERKLE_INDEX_OUT_OF_RANGE: 400,
  MERKLE_PROOF_MALFORMED: 422,
  MERKLE_PROOF_INVALID: 422,
  CONSISTENCY_PROOF_INVALID: 422,
  NOTE_MALFORMED: 422,
  NOTE_UNSIGNED: 422,
  CHECKPOINT_MALFORMED: 422,
  CHECKPOINT_ORIGIN: 422,
  TRUST_ROOT_INVALID: 422,
  SLICE_INCOMPLETE: 422,
  REVENUE_SPLIT_VIOLATION: 422,
  STATEMENT_MISMATCH: 422,
  RATE_CARD_MISSING: 422,
  // The appliance cannot serve the request now: fail closed (gates 5 and 11).
  INTERNAL: 500,
  // An exit bundle handed in (import) fails offline verification (spec/exit-bundle.md).
  BUNDLE_ARCHIVE_INVALID: 422,
  BUNDLE_ENTRY_INVALID: 422,
  BUNDLE_ENTRY_DUPLICATE: 422,
  BUNDLE_MANIFEST_INVALID: 422,
  BUNDLE_FILE_UNLISTED: 422,
  BUNDLE_FILE_MISSING: 422,
  BUNDLE_SIZE_MISMATCH: 422,
  BUNDLE_DIGEST_MISMATCH: 422,
  BUNDLE_STATE_MISMATCH: 422,
  // A sealed tenant secret (spec/exit-bundle.md §5) is malformed or does not open.
  SEALED_INVALID: 422,
  SEALED_OPEN_FAILED: 422,
  IMPORT_SECTION_UNSUPPORTED: 422,
  KEY_OUTSIDE_VALIDITY: 422,
  CONFIG_INVALID: 500,
  HTTP_ERROR: 502,
  COMMAND_FAILED: 502,
  DNS_BACKEND_FAILED: 502,
  DNS_DRIFT: 409,
  HYPERVISOR_FAILED: 502,
  NETWORK_DRIFT: 502,
  LEDGER_INTEGRITY: 503,
  LEDGER_UNAVAILABLE: 503,
  GATE_LEDGER_INTEGRITY: 503,
  GATE_AUDIT: 503,
  SUPERVISION_FAILED: 503,
  // The disk installer (`nexus-cos install`, a CLI command; no route raises these).
  DISK_INVALID: 400,
  DISK_NOT_EMPTY: 409,
  DISK_IN_USE: 409,
});

/** The JSON body of every error response. */
export interface ErrorReply {
  readonly status: number;
  readonly body: { code: ErrorCode; message: string; field?: string };
}

/** Fastify's own refusals, by the status it gives them, as documented codes. */
const FRAMEWORK: Readonly<Record<number, ErrorCode>> = { 404: 'NOT_FOUND', 405: 'NOT_FOUND', 413: 'BODY_TOO_LARGE', 415: 'MEDIA_TYPE_UNSUPPORTED' };

interface FrameworkError {
  statusCode?: unknown;
  validation?: readonly { instancePath?: string; message?: string }[];
  validationContext?: string;
}

/**
 * Any thrown value as a status and `{code, message, field?}`. A NexusError keeps its code;
 * fastify's 4xx refusals (parsing, size, media type, schema) get theirs; anything else is
 * INTERNAL with a fixed message, so no stack, path or library text ever leaves the process.
 */
export function errorReply(e: unknown): ErrorReply {
  if (isNexusError(e)) return { status: HTTP_STATUS[e.code], body: e.toJSON() };
  const f = (typeof e === 'object' && e !== null ? e : {}) as FrameworkError;
  const status = typeof f.statusCode === 'number' ? f.statusCode : 500;
  if (status >= 400 && status < 500) {
    const first = f.validation?.[0];
    if (first !== undefined) {
      const field = `/${f.validationContext ?? 'body'}${first.instancePath ?? ''}`;
      return reply(new NexusError('INPUT_INVALID', `${field} ${first.message ?? 'is invalid'}`.slice(0, 300), { field }));
    }
    const code = FRAMEWORK[status] ?? 'INPUT_INVALID';
    return reply(new NexusError(code, FRAMEWORK_MESSAGES[code] ?? 'the request is malformed'));
  }
  return reply(new NexusError('INTERNAL', 'internal error'));
}

const FRAMEWORK_MESSAGES: Partial<Record<ErrorCode, string>> = {
  NOT_FOUND: 'no such route',
  BODY_TOO_LARGE: 'the request body is too large',
  MEDIA_TYPE_UNSUPPORTED: 'the request body must be application/json',
};

function reply(e: NexusError): ErrorReply {
  return { status: HTTP_STATUS[e.code], body: e.toJSON() };
}
