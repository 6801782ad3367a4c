import { LocalSigner } from '@nexus-cos/sdk';
import type { MailRig } from './harness.js';

/** Two IMVUs: IMVU-001 (example.org: alice, bob) and IMVU-002 (other.example: carol). */
export const ALICE = LocalSigner.fromSeed(new Uint8Array(32).fill(21)).publicKey.id;
export const BOB = LocalSigner.fromSeed(new Uint8Array(32).fill(22)).publicKey.id;
export const CAROL = LocalSigner.fromSeed(new Uint8Array(32).fill(23)).publicKey.id;
export const PW = { alice: 'alice-correct-horse', bob: 'bob-battery-staple', carol: 'carol-tr0ub4dor-3' } as const;

/** Binds, enables and fills the two test domains through the real provisioning code. */
export async function seed(rig: MailRig): Promise<void> {
  rig.directory.addDomain('example.org', 'IMVU-001');
  rig.directory.addDomain('other.example', 'IMVU-002');
  await rig.provisioning.enable('IMVU-001', ALICE, 'example.org');
  await rig.provisioning.enable('IMVU-002', CAROL, 'other.example');
  await rig.provisioning.createMailbox('IMVU-001', ALICE, 'alice@example.org', PW.alice);
  await rig.provisioning.createMailbox('IMVU-001', BOB, 'bob@example.org', PW.bob);
  await rig.provisioning.createMailbox('IMVU-002', CAROL, 'carol@other.example', PW.carol);
}
