// An exit bundle of one IMVU on a test stack, built by the real builder and sections (the
// DNS section when the stack serves DNS), anchored to a checkpoint signed just before.
import { fileURLToPath } from 'node:url';
import { sha256, toHex } from '@nexus-cos/sdk';
import { readPolicyDir } from '../../../appliance/src/adapters/cedar/policy-files.js';
import { buildExitBundle } from '../../../appliance/src/exit/builder.js';
import type { BundleSection } from '../../../appliance/src/exit/section.js';
import { dnsSection } from '../../../appliance/src/exit/sections/dns.js';
import { ledgerSection } from '../../../appliance/src/exit/sections/ledger.js';
import { policiesSection } from '../../../appliance/src/exit/sections/policies.js';
import { recordSection } from '../../../appliance/src/exit/sections/record.js';
import type { DnsDeps } from '../../../appliance/src/services/index.js';
import { platform } from '../../helpers/ledger.js';
import { unpack } from '../../helpers/tar.js';
import type { Stack } from '../http/harness.js';

export const POLICIES = readPolicyDir(fileURLToPath(new URL('../../../appliance/policies/', import.meta.url)));

/** The bundle's bytes. */
export async function bundleOf(s: Stack, id: string, dns?: DnsDeps, extra: readonly BundleSection[] = []): Promise<Buffer> {
  s.ledger.checkpoint();
  const sections: BundleSection[] = [ledgerSection(s.ledger, platform.publicKey.id), recordSection(s.registry), policiesSection(POLICIES)];
  if (dns !== undefined) sections.push(dnsSection(dns.dns, dns.store));
  sections.push(...extra);
  const chunks: Uint8Array[] = [];
  for await (const c of buildExitBundle({ ledger: s.ledger, platform, sections }, id, new Date())) chunks.push(c);
  return Buffer.concat(chunks);
}

/** SHA-256 hex of the bundle's manifest.json: what the owner's import request names. */
export async function manifestDigest(bundle: Buffer): Promise<string> {
  const m = (await unpack(bundle)).find((x) => x.name === 'manifest.json');
  if (m === undefined) throw new Error('no manifest');
  return toHex(sha256(m.bytes));
}
