import { LocalSigner, TRUSTED_ROOT_MEDIA_TYPE, type Identity, type Imvu, type TrustedRoot } from '../../../sdk/src/index.js';

const at = '2025-01-01T00:00:00.000Z';

/** A schema-valid Identity for `s`. */
export const identityOf = (s: LocalSigner): Identity => ({ id: s.publicKey.id, publicKey: s.publicKey.toBase64(), createdAt: at, status: 'active' });

/** A schema-valid IMVU owned by `s`. */
export const imvuOf = (s: LocalSigner, id = 'IMVU-001'): Imvu => ({
  id,
  owner: s.publicKey.id,
  jurisdiction: 'DE',
  status: 'active',
  createdAt: at,
  resources: { domains: [], mailboxes: [], vms: [], networks: [] },
  quotas: { vcpus: 2, memoryMiB: 2048, diskGiB: 20, vms: 2 },
  consents: [],
});

/** A schema-valid trusted root naming `s`. */
export const trustedRootOf = (s: LocalSigner): TrustedRoot => ({
  mediaType: TRUSTED_ROOT_MEDIA_TYPE,
  origin: 'test.nexus-cos.invalid/log',
  keys: [{ name: 'test.nexus-cos.invalid/log', publicKey: s.publicKey.id }],
});
