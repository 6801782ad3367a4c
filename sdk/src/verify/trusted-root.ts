import { fail, isNexusError } from '../errors/index.js';
import { PublicKey } from '../identity/public-key.js';
import { noteVerifierKey, type NoteVerifierKey } from '../note/verifier-key.js';
import { assertTrustedRootV1 } from '../schemas/trusted-root.js';
import { keyPeriod, type KeyPeriod } from './key-periods.js';
import { TrustedKeys } from './trust.js';

/** A trusted root ready for use: the log origin and the same keys in both forms. */
export interface LoadedTrustedRoot {
  readonly origin: string;
  /** For DSSE envelopes, by did:key. */
  readonly keys: TrustedKeys;
  /** For signed notes (checkpoints), by name and C2SP key id. */
  readonly noteKeys: readonly NoteVerifierKey[];
  /** Validity periods by did:key, for the keys whose root entry declares one. */
  readonly periods: ReadonlyMap<string, KeyPeriod>;
}

/** Checks a parsed trusted-root.json (schema, then every key strictly) and prepares it. */
export function loadTrustedRoot(value: unknown): LoadedTrustedRoot {
  assertTrustedRootV1(value);
  const keys: PublicKey[] = [];
  const noteKeys: NoteVerifierKey[] = [];
  const periods = new Map<string, KeyPeriod>();
  value.keys.forEach((k, i) => {
    try {
      const pk = PublicKey.fromDid(k.publicKey, `/keys/${i}/publicKey`);
      keys.push(pk);
      noteKeys.push(noteVerifierKey(k.name, pk));
      if (k.validFrom !== undefined || k.validUntil !== undefined) periods.set(pk.id, keyPeriod(k, `/keys/${i}`));
    } catch (cause) {
      if (!isNexusError(cause)) throw cause;
      throw fail('TRUST_ROOT_INVALID', `key ${i}: ${cause.message}`, cause.field ?? `/keys/${i}`, cause);
    }
  });
  return { origin: value.origin, keys: new TrustedKeys(keys), noteKeys, periods };
}
