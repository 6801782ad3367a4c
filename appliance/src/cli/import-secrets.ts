import { MANIFEST_PATH, NexusError, fromUtf8, openSealed, readMembers, type ByteSource, type ImportSecrets } from '@nexus-cos/sdk';

const DKIM = /^secrets\/mail\/([^/]+)\/dkim\.pem\.sealed$/;
const CREDENTIAL = /^secrets\/mail\/([^/]+)\/([^/]+)\/credential\.json\.sealed$/;
const DNSSEC = /^secrets\/dns\/([^/]+)\/keys\.json\.sealed$/;

type DnssecSecret = NonNullable<ImportSecrets['dnssec']>[number];

/**
 * Opens the bundle's sealed secrets with the owner's seed, here in the owner's process
 * (spec/exit-bundle.md §5): each domain's DKIM key, each mailbox's credential hash and each
 * zone's DNSSEC keys. The appliance checks each against the bundle (the DKIM key against
 * dkim.json, the mailbox against its path, the DNSSEC keys against dnssec.json's DS).
 * `secrets` is undefined when the bundle seals no secret. The same pass names the manifest's
 * SHA-256, which the signed import request carries.
 */
export async function openImportSecrets(bundle: ByteSource, seed: Uint8Array): Promise<{ manifest: string; secrets: ImportSecrets | undefined }> {
  const dkim: { domain: string; pem: string }[] = [];
  const credentials: { mailbox: string; credential: string }[] = [];
  const dnssec: DnssecSecret[] = [];
  let manifest = '';
  for await (const m of readMembers(bundle, (p) => p.startsWith('secrets/mail/') || DNSSEC.test(p))) {
    if (m.path === MANIFEST_PATH) manifest = m.sha256;
    if (m.bytes === undefined || !m.path.startsWith('secrets/')) continue;
    const d = DKIM.exec(m.path);
    if (d !== null) dkim.push({ domain: d[1] as string, pem: fromUtf8(openSealed(m.bytes, m.path, seed)) });
    if (CREDENTIAL.test(m.path)) {
      const c = JSON.parse(fromUtf8(openSealed(m.bytes, m.path, seed))) as { mailbox?: unknown; credential?: unknown };
      if (typeof c.mailbox !== 'string' || typeof c.credential !== 'string') throw new NexusError('BUNDLE_STATE_MISMATCH', 'a sealed credential is { mailbox, credential }', { field: m.path });
      credentials.push({ mailbox: c.mailbox, credential: c.credential });
    }
    const z = DNSSEC.exec(m.path)?.[1];
    if (z !== undefined) dnssec.push(dnssecOf(m.path, z, openSealed(m.bytes, m.path, seed)));
  }
  if (dkim.length + credentials.length + dnssec.length === 0) return { manifest, secrets: undefined };
  return { manifest, secrets: { v: 1, dkim, credentials, ...(dnssec.length === 0 ? {} : { dnssec }) } };
}

/** `{"v":1,"zone","keys"}` of the zone its path names; the keys' shape is the appliance's to check. */
function dnssecOf(path: string, zone: string, plain: Uint8Array): DnssecSecret {
  const k = JSON.parse(fromUtf8(plain)) as { v?: unknown; zone?: unknown; keys?: unknown };
  if (k.v !== 1 || k.zone !== zone || !Array.isArray(k.keys)) throw new NexusError('BUNDLE_STATE_MISMATCH', `the sealed DNSSEC keys are not { v: 1, zone: ${zone}, keys }`, { field: path });
  return { zone, keys: k.keys as DnssecSecret['keys'] };
}
