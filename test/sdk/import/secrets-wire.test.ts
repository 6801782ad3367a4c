// The import secrets' wire form: the header must hash to the digest the signed query names,
// and must be a valid ImportSecrets; anything else is refused with a coded error.
import t from 'tap';
import { canonicalBytes, toBase64Url } from '../../../sdk/src/encoding/index.js';
import { decodeImportSecrets, encodeImportSecrets } from '../../../sdk/src/import/secrets-wire.js';
import type { ImportSecrets } from '../../../sdk/src/schemas/import-secrets.js';
import { throwsCode } from '../../helpers/codes.js';

const S: ImportSecrets = { v: 1, dkim: [{ domain: 'example.org', pem: '-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n' }], credentials: [{ mailbox: 'bob@example.org', credential: 'scrypt$16384$8$1$a$b' }] };

t.test('round trip: what is encoded decodes to the same value', async (t) => {
  const w = encodeImportSecrets(S);
  t.match(w.digest, /^[0-9a-f]{64}$/);
  t.same(decodeImportSecrets(w.header, w.digest), S);
});

t.test('a header that is not the signed one, absent, or not a valid shape is refused', async (t) => {
  const w = encodeImportSecrets(S);
  const other = encodeImportSecrets({ ...S, credentials: [] });
  throwsCode(t, () => decodeImportSecrets(other.header, w.digest), 'INPUT_INVALID', 'another header than the signed digest');
  throwsCode(t, () => decodeImportSecrets(undefined, w.digest), 'INPUT_INVALID', 'no header');
  throwsCode(t, () => decodeImportSecrets('%%%', w.digest), 'INPUT_INVALID', 'not base64url');
  const bad = encodeImportSecrets({ ...S, extra: 1 } as unknown as ImportSecrets);
  throwsCode(t, () => decodeImportSecrets(bad.header, bad.digest), 'INPUT_INVALID', 'an unknown property');
  const notJson = toBase64Url(new TextEncoder().encode('{'));
  const { createHash } = await import('node:crypto');
  throwsCode(t, () => decodeImportSecrets(notJson, createHash('sha256').update('{').digest('hex')), 'INPUT_INVALID', 'not JSON');
  t.equal(toBase64Url(canonicalBytes(S)), w.header, 'the header is base64url of the canonical JSON');
});
