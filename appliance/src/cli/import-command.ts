import { readFileSync, statSync } from 'node:fs';
import { NexusClient, NexusError, fileChunks, loadTrustedRoot, parseCanonicalJsonArtifact, verifyExitBundle } from '@nexus-cos/sdk';
import type { ParsedArgs } from './args.js';
import { importReads, importSecretsOf } from './import-secrets.js';
import { readOwnerKey, readOwnerSeed } from './owner-key.js';

/** Where the CLI talks to the appliance when `--appliance` is not given. */
export const DEFAULT_APPLIANCE = 'http://127.0.0.1:8080';

/** What the command prints and where: its streams only. */
interface Io {
  stdout(text: string): void;
}

/**
 * `nexus-cos import BUNDLE --key OWNER_KEY_FILE [--appliance URL] [--trusted-root FILE]`
 * (spec/exit-bundle.md §8). Verifies the bundle locally first (against `--trusted-root` when
 * given), then sends it signed with the owner's key; the appliance verifies it again before
 * anything else. Prints the appliance's report as JSON. Sealed mail secrets are opened here,
 * with the owner's key, never by the appliance, and sent with the signed request.
 */
export async function importCommand(args: ParsedArgs, io: Io): Promise<number> {
  const file = args.operand;
  const keyFile = args.flags.key;
  if (file === undefined || keyFile === undefined) throw new NexusError('USAGE', 'import needs BUNDLE and --key OWNER_KEY_FILE');
  const owner = readOwnerKey(keyFile);
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
  } catch (e) {
    throw new NexusError('USAGE', `cannot read the bundle ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field: 'BUNDLE' });
  }
  const rootFile = args.flags['trusted-root'];
  const trusted = rootFile === undefined ? undefined : loadTrustedRoot(parseCanonicalJsonArtifact(new Uint8Array(readFileSync(rootFile))));
  // Streamed, never whole into memory (a bundle with VM disks may be many GiB), and read once
  // here: the manifest whose digest the owner signs and the sealed secrets are the members
  // this verification accepted.
  const local = await verifyExitBundle(fileChunks(file), trusted, { keep: importReads });
  const { manifest, secrets } = importSecretsOf(local.kept ?? new Map(), readOwnerSeed(keyFile));
  const client = new NexusClient({ baseUrl: args.flags.appliance ?? DEFAULT_APPLIANCE, signer: owner, retries: 0, timeoutMs: 600_000 });
  try {
    const report = await client.importBundle(file, manifest, secrets);
    io.stdout(`${JSON.stringify({ verifiedLocally: { trust: local.trust, entries: local.entries }, ...report })}\n`);
    return 0;
  } finally {
    await client.close();
  }
}
