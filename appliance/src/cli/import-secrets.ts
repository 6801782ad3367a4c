import { NexusError, fromUtf8, openSealed, readMembers, type ImportSecrets } from '@nexus-cos/sdk';

const DKIM = /^secrets\/mail\/([^/]+)\/dkim\.pem\.sealed$/;
const CREDENTIAL = /^secrets\/mail\/([^/]+)\/([^/]+)\/credential\.json\.sealed$/;

/**
 * Opens the bundle's sealed mail secrets with the owner's seed, here in the owner's process
 * (spec/exit-bundle.md §5): each domain's DKIM key and each mailbox's credential hash. The
 * appliance checks each against the bundle (the DKIM key against dkim.json, the mailbox
 * against its path). Undefined when the bundle seals no mail secret.
 */
export async function openImportSecrets(bundle: Uint8Array, seed: Uint8Array): Promise<ImportSecrets | undefined> {
  const dkim: { domain: string; pem: string }[] = [];
  const credentials: { mailbox: string; credential: string }[] = [];
  for await (const m of readMembers([bundle], (p) => p.startsWith('secrets/mail/'))) {
    if (m.bytes === undefined) continue;
    const d = DKIM.exec(m.path);
    if (d !== null) dkim.push({ domain: d[1] as string, pem: fromUtf8(openSealed(m.bytes, m.path, seed)) });
    if (CREDENTIAL.test(m.path)) {
      const c = JSON.parse(fromUtf8(openSealed(m.bytes, m.path, seed))) as { mailbox?: unknown; credential?: unknown };
      if (typeof c.mailbox !== 'string' || typeof c.credential !== 'string') throw new NexusError('BUNDLE_STATE_MISMATCH', 'a sealed credential is { mailbox, credential }', { field: m.path });
      credentials.push({ mailbox: c.mailbox, credential: c.credential });
    }
  }
  return dkim.length + credentials.length === 0 ? undefined : { v: 1, dkim, credentials };
}
