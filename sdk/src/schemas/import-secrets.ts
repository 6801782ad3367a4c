import { Type, type Static } from '@sinclair/typebox';
import { assertSchema } from './common.js';

/** keymgr's timing attributes (Unix seconds), as `keymgr -j list` names them. */
const DNSSEC_TIMERS = ['created', 'pre-active', 'publish', 'ready', 'active', 'retire-active', 'retire', 'post-active', 'revoke', 'remove'] as const;

/**
 * One DNSSEC private key as a zone's sealed keys file carries it (spec/exit-bundle.md §2):
 * what `keymgr <zone> import-pem` needs to recreate it with the same tag, role and timers.
 */
export const DnssecKey = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-f]{40}$' }),
    tag: Type.Integer({ minimum: 0, maximum: 65535 }),
    algorithm: Type.Integer({ minimum: 1, maximum: 255 }),
    size: Type.Integer({ minimum: 0, maximum: 16384 }),
    ksk: Type.Boolean(),
    zsk: Type.Boolean(),
    timers: Type.Object(Object.fromEntries(DNSSEC_TIMERS.map((t) => [t, Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 40 }))])), { additionalProperties: false }),
    pem: Type.String({ minLength: 1, maxLength: 8192 }),
  },
  { additionalProperties: false },
);
export type DnssecKey = Static<typeof DnssecKey>;

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
    /** Each zone's DNSSEC private keys, from `secrets/dns/<zone>/keys.json.sealed` (absent from a CLI before DNSSEC import). */
    dnssec: Type.Optional(Type.Array(Type.Object({ zone: Type.String({ minLength: 1, maxLength: 253 }), keys: Type.Array(DnssecKey, { minItems: 1, maxItems: 16 }) }, { additionalProperties: false }), { maxItems: 64 })),
  },
  { additionalProperties: false, $id: 'ImportSecrets', title: 'Import secrets v1' },
);
export type ImportSecrets = Static<typeof ImportSecrets>;

/** Asserts the opened secrets of an import request. */
export function assertImportSecretsV1(x: unknown): asserts x is ImportSecrets {
  assertSchema(ImportSecrets, x);
}
