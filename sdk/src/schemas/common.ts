import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { fail } from '../errors/index.js';

/** Standard padded base64 (RFC 4648 §4). */
export const Base64 = Type.String({ pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$', maxLength: 1 << 26 });
/**
 * Exactly 32 bytes in canonical padded base64: 43 significant characters and `=`; the last
 * one carries two zero bits, so only 16 letters are allowed there (one encoding per value).
 */
export const Base64Bytes32 = Type.String({ pattern: '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$' });
/** A SHA-256 digest as lower-case hex. */
export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** A did:key for an Ed25519 key. */
export const DidKey = Type.String({ pattern: '^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$' });
/** An RFC 3339 UTC timestamp with a `Z` suffix (millisecond precision at most). */
export const Timestamp = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,3})?Z$' });
/** A non-negative integer sent as a decimal string (amounts, sizes above 2^53). */
export const UIntString = Type.String({ pattern: '^(?:0|[1-9][0-9]{0,77})$' });
/** An IMVU id, `IMVU-` plus digits. */
export const ImvuId = Type.String({ pattern: '^IMVU-[0-9]{3,12}$' });
/** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision (`DE`, `US-CA`). */
export const Jurisdiction = Type.String({ pattern: '^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$' });

export type Base64 = Static<typeof Base64>;

const compiled = new WeakMap<TSchema, ReturnType<typeof TypeCompiler.Compile>>();

/**
 * Checks `value` against `schema` without changing it (no defaults, no coercion), and
 * throws a coded error naming the first offending field. Used after signatures verify.
 */
export function assertSchema<T extends TSchema>(
  schema: T,
  value: unknown,
  code: 'INPUT_INVALID' | 'PAYLOAD_INVALID' | 'ENVELOPE_MALFORMED' | 'CHECKPOINT_MALFORMED' | 'TRUST_ROOT_INVALID' = 'INPUT_INVALID',
): asserts value is Static<T> {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return;
  const first = check.Errors(value).First();
  throw fail(code, first ? first.message : 'does not match schema', first?.path || '/');
}
