// A developer's first ten minutes with the SDK, using only its public API:
// make an identity, sign an IMVU record, log it in a Merkle tree, sign a checkpoint,
// then verify everything offline the way an auditor would, with `imvu-verify`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  IMVU_MEDIA_TYPE,
  LocalSigner,
  TRUSTED_ROOT_MEDIA_TYPE,
  TrustedKeys,
  assertImvuV1,
  canonicalize,
  formatCheckpoint,
  inclusionProof,
  leafHash,
  openJsonEnvelope,
  rootFromLeafHashes,
  signJsonSync,
  signNote,
  toBase64,
  utf8,
} from '@nexus-cos/sdk';

const origin = 'demo.nexus-cos.invalid/log';
const platform = LocalSigner.generate();
const owner = LocalSigner.generate();
console.log(`platform key: ${platform.publicKey.id}`);
console.log(`owner key:    ${owner.publicKey.id}`);

// 1. The owner signs the IMVU record (canonical JSON inside a DSSE envelope).
const imvu = {
  id: 'IMVU-042',
  owner: owner.publicKey.id,
  jurisdiction: 'DE',
  status: 'active',
  createdAt: '2026-11-26T07:00:00Z',
  resources: { domains: [], mailboxes: [], vms: [], networks: [] },
  quotas: { vcpus: 2, memoryMiB: 2048, diskGiB: 20, vms: 2 },
  consents: [{ purpose: 'mail-processing', grantedBy: owner.publicKey.id, grantedAt: '2026-11-26T07:00:00Z' }],
};
assertImvuV1(imvu);
const envelope = signJsonSync(IMVU_MEDIA_TYPE, imvu, [owner]);
const opened = openJsonEnvelope(envelope, { trusted: new TrustedKeys([owner.publicKey]), payloadType: IMVU_MEDIA_TYPE });
console.log(`signed IMVU record verified, signed by ${opened.verified.signedBy.join(', ')}`);

// 2. The platform logs it with a few other entries and signs a checkpoint.
const entries = [utf8(canonicalize(envelope)), ...Array.from({ length: 9 }, (_, i) => utf8(`other entry ${i}`))];
const leaves = entries.map((e) => leafHash(e));
const note = signNote(formatCheckpoint({ origin, size: BigInt(leaves.length), root: rootFromLeafHashes(leaves) }), [{ name: origin, signer: platform }]);
console.log(`checkpoint:\n${note}`);

// 3. Hand an auditor four files and let `imvu-verify` check them with no network.
const dir = mkdtempSync(join(tmpdir(), 'nexus-demo-'));
const write = (name: string, content: string | Uint8Array): string => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
const trust = write('trusted-root.json', `${canonicalize({ mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin, keys: [{ name: origin, publicKey: platform.publicKey.id }, { name: 'owner', publicKey: owner.publicKey.id }] })}\n`);
const env = write('imvu.envelope.json', `${canonicalize(envelope)}\n`);
const leaf = write('entry-0.bin', entries[0] as Uint8Array);
const proof = write('inclusion.json', `${canonicalize({
  v: 1, logIndex: '0', treeSize: String(leaves.length), leafHash: toBase64(leaves[0] as Uint8Array), hashes: inclusionProof(0, leaves).map((h) => toBase64(h)), checkpoint: note,
})}\n`);

const bin = join(dirname(createRequire(import.meta.url).resolve('@nexus-cos/sdk/package.json')), 'dist/cli/imvu-verify.js');
const run = (...args: string[]): number => {
  const r = spawnSync(process.execPath, [bin, ...args, '--trust', trust], { stdio: 'inherit' });
  return r.status ?? 1;
};
let failed = 0;
failed += run('envelope', env, '--payload-type', IMVU_MEDIA_TYPE);
failed += run('checkpoint', write('checkpoint.note', note));
failed += run('inclusion', proof, '--leaf', leaf);

// 4. And a tampered copy is caught.
const tampered = write('tampered.json', `${canonicalize({ ...envelope, payload: toBase64(utf8(canonicalize({ ...imvu, jurisdiction: 'US' }))) })}\n`);
const caught = run('envelope', tampered) === 1;
console.log(caught ? 'tampered envelope refused, as it must be' : 'ERROR: tampered envelope accepted');
console.log(`files are in ${dir}`);
process.exitCode = failed === 0 && caught ? 0 : 1;
