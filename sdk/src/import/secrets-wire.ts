import { sha256 } from '../crypto/sha256.js';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { fromBase64Url, toBase64Url } from '../encoding/base64.js';
import { toHex } from '../encoding/hex.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { NexusError } from '../errors/error.js';
import { assertImportSecretsV1, type ImportSecrets } from '../schemas/import-secrets.js';

/**
 * The header that carries an import's opened secrets: base64url of their canonical JSON.
 * Not the query, which request logs print; the query carries their SHA-256 (`secrets=`), so
 * the owner's request signature, which covers the path and query, binds the header too.
 */
export const IMPORT_SECRETS_HEADER = 'x-nexus-import-secrets';

/** The header value and the digest the signed query names. */
export function encodeImportSecrets(s: ImportSecrets): { header: string; digest: string } {
  const bytes = canonicalBytes(s);
  return { header: toBase64Url(bytes), digest: toHex(sha256(bytes)) };
}

/** Reads the header back; its bytes must hash to the signed `digest`, and match the schema. */
export function decodeImportSecrets(header: string | undefined, digest: string): ImportSecrets {
  const field = `/headers/${IMPORT_SECRETS_HEADER}`;
  if (header === undefined) throw new NexusError('INPUT_INVALID', 'the request names secrets but carries none', { field });
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(header);
  } catch (cause) {
    throw new NexusError('INPUT_INVALID', 'the secrets are not base64url', { field, cause });
  }
  if (toHex(sha256(bytes)) !== digest) throw new NexusError('INPUT_INVALID', 'the secrets are not the ones the signed request names', { field });
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new NexusError('INPUT_INVALID', 'the secrets are not JSON', { field, cause });
  }
  assertImportSecretsV1(value);
  return value;
}
