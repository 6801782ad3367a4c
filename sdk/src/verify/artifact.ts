import { canonicalize } from '../encoding/canonical-json.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';

/**
 * Parses a JSON artifact that must be in canonical form (RFC 8785, optionally followed
 * by one LF). Requiring the one canonical text means every byte of a verified file is
 * meaningful: duplicate keys, stray whitespace and alternative escapes are refused
 * instead of silently ignored, so any one-byte change is detected.
 */
export function parseCanonicalJsonArtifact(bytes: Uint8Array, field = ''): unknown {
  const text = fromUtf8(bytes, field);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw fail('JSON_NOT_CANONICAL', 'not JSON', field, cause);
  }
  let canonical: string;
  try {
    canonical = canonicalize(value);
  } catch (cause) {
    throw fail('JSON_NOT_CANONICAL', 'JSON outside the canonical subset', field, cause);
  }
  if (text !== canonical && text !== `${canonical}\n`) {
    throw fail('JSON_NOT_CANONICAL', 'JSON is not in canonical form (RFC 8785)', field);
  }
  return value;
}
