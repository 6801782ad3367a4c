import { Type, type Static } from '@sinclair/typebox';
import { assertSchema } from './common.js';

/**
 * The secrets an import needs that a bundle carries only sealed to the owner
 * (spec/exit-bundle.md §5, §8): the owner's CLI opens them with the owner's key and sends
 * them to the appliance with the signed import request, never stored in the bundle opened.
 */
export const ImportSecrets = Type.Object(
  {
    v: Type.Literal(1),
    /** Each mail domain's DKIM private key (PKCS#8 PEM), from `secrets/mail/<domain>/dkim.pem.sealed`. */
    dkim: Type.Array(Type.Object({ domain: Type.String({ minLength: 1, maxLength: 253 }), pem: Type.String({ minLength: 1, maxLength: 8192 }) }, { additionalProperties: false }), { maxItems: 64 }),
    /** Each mailbox's credential hash, from `secrets/mail/<domain>/<local>/credential.json.sealed`. */
    credentials: Type.Array(Type.Object({ mailbox: Type.String({ minLength: 3, maxLength: 320 }), credential: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }), { maxItems: 1024 }),
  },
  { additionalProperties: false, $id: 'ImportSecrets', title: 'Import secrets v1' },
);
export type ImportSecrets = Static<typeof ImportSecrets>;

/** Asserts the opened secrets of an import request. */
export function assertImportSecretsV1(x: unknown): asserts x is ImportSecrets {
  assertSchema(ImportSecrets, x);
}
