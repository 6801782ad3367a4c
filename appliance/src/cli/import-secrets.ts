import { MANIFEST_PATH, NexusError, fromUtf8, openSealed, readMembers, sha256, toHex, type ByteSource, type ImportSecrets } from '@nexus-cos/sdk';

const DKIM = /^secrets\/mail\/([^/]+)\/dkim\.pem\.sealed$/;
const CREDENTIAL = /^secrets\/mail\/([^/]+)\/([^/]+)\/credential\.json\.sealed$/;
const DNSSEC = /^secrets\/dns\/([^/]+)\/keys\.json\.sealed$/;

type DnssecSecret = NonNullable<ImportSecrets['dnssec']>[number];

/** The members an import reads on the owner's side: the manifest (its digest is signed) and the sealed secrets. */
export const importReads = (path: string): boolean => path === MANIFEST_PATH || path.startsWith('secrets/mail/') || DNSSEC.test(path);

/**
 * Opens the bundle's sealed secrets with the owner's seed, here in the owner's process
 * (spec/exit-bundle.md §5): each domain's DKIM key, each mailbox's credential hash and each
 * zone's DNSSEC keys. The appliance checks each against the bundle (the DKIM key against
 * dkim.json, the mailbox against its path, the DNSSEC keys against dnssec.json's DS).
 * `secrets` is undefined when the bundle seals no secret. `files` are the members importReads
 * names (as the verifier kept them); `manifest` is the manifest's SHA-256, which the signed
 * import request carries.
 */
export function importSecretsOf(files: ReadonlyMap<string, Uint8Array>, seed: Uint8Array): { manifest: string; secrets: ImportSecrets | undefined } {
  const dkim: { domain: string; pem: string }[] = [];
  const credentials: { mailbox: string; credential: string }[] = [];
  const dnssec: DnssecSecret[] = [];
  const m = files.get(MANIFEST_PATH);
  if (m === undefined) throw new NexusError('BUNDLE_FILE_MISSING', 'the archive has no manifest', { field: MANIFEST_PATH });
  const manifest = toHex(sha256(m));
  for (const [path, bytes] of files) {
    const d = DKIM.exec(path);
    if (d !== null) dkim.push({ domain: d[1] as string, pem: fromUtf8(openSealed(bytes, path, seed)) });
    if (CREDENTIAL.test(path)) {
      const c = JSON.parse(fromUtf8(openSealed(bytes, path, seed))) as { mailbox?: unknown; credential?: unknown };
      if (typeof c.mailbox !== 'string' || typeof c.credential !== 'string') throw new NexusError('BUNDLE_STATE_MISMATCH', 'a sealed credential is { mailbox, credential }', { field: path });
      credentials.push({ mailbox: c.mailbox, credential: c.credential });
    }
    const z = DNSSEC.exec(path)?.[1];
    if (z !== undefined) dnssec.push(dnssecOf(path, z, openSealed(bytes, path, seed)));
  }
  if (dkim.length + credentials.length + dnssec.length === 0) return { manifest, secrets: undefined };
  return { manifest, secrets: { v: 1, dkim, credentials, ...(dnssec.length === 0 ? {} : { dnssec }) } };
}

/** importSecretsOf, reading the members from the archive itself (not verified here: the caller's concern). */
export async function openImportSecrets(bundle: ByteSource, seed: Uint8Array): Promise<{ manifest: string; secrets: ImportSecrets | undefined }> {
  const files = new Map<string, Uint8Array>();
  for await (const m of readMembers(bundle, importReads)) if (m.bytes !== undefined && importReads(m.path)) files.set(m.path, m.bytes);
  return importSecretsOf(files, seed);
}

/** `{"v":1,"zone","keys"}` of the zone its path names; the keys' shape is the appliance's to check. */
function dnssecOf(path: string, zone: string, plain: Uint8Array): DnssecSecret {
  const k = JSON.parse(fromUtf8(plain)) as { v?: unknown; zone?: unknown; keys?: unknown };
  if (k.v !== 1 || k.zone !== zone || !Array.isArray(k.keys)) throw new NexusError('BUNDLE_STATE_MISMATCH', `the sealed DNSSEC keys are not { v: 1, zone: ${zone}, keys }`, { field: path });
  return { zone, keys: k.keys as DnssecSecret['keys'] };
}
