// Quickstart against a running appliance, with only the SDK's public API: make an
// identity, register it, create an IMVU, read the IMVU's ledger slice and verify it
// offline against the appliance's trusted root.
//
//   nexus-cos init --data-dir ./.nexus && nexus-cos serve --data-dir ./.nexus &
//   NEXUS_COS_URL=http://127.0.0.1:8080 npx tsx examples/quickstart.ts
import { LocalSigner, NexusClient, isNexusError, loadTrustedRoot, verifyLedgerSlice } from '@nexus-cos/sdk';

const baseUrl = process.env.NEXUS_COS_URL ?? 'http://127.0.0.1:8080';

// 1. An identity is an Ed25519 key; its public name is a did:key. Keep the seed secret
//    (LocalSigner.exportSeed() into a 0600 file); here it lives only for this run.
const me = LocalSigner.generate();
console.log(`1. identity        ${me.publicKey.id}`);

// Every request the client sends is signed by `me` over the exact bytes sent.
const client = new NexusClient({ baseUrl, signer: me });
try {
  const health = await client.health();
  console.log(`   appliance       ${baseUrl}: ${health.status} (${Object.entries(health.components).map(([k, v]) => `${k} ${v.status}`).join(', ')})`);

  // 2. Register: the signed request itself proves possession of the key.
  const identity = await client.registerIdentity({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  console.log(`2. registered      ${identity.id} (${identity.status})`);

  // 3. An IMVU bound to this identity, tagged with a jurisdiction (gate 9) and a consent (gate 10).
  const imvu = await client.createImvu({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  console.log(`3. created         ${imvu.id}, owner ${imvu.owner}, jurisdiction ${imvu.jurisdiction}`);

  // 4. The IMVU's own hash chain in the ledger, with the proof that a signed checkpoint commits its head.
  const slice = await client.getLedgerSlice(imvu.id);
  console.log(`4. ledger slice    ${slice.entries.length} entries in chain ${slice.chain}`);

  // 5. Offline verification. The trusted root is fetched here for the demo; a real verifier
  //    pins it (or checks its key out of band) before trusting it.
  const root = loadTrustedRoot(await client.getTrustedRoot());
  const verified = verifyLedgerSlice(slice, root);
  console.log(`5. verified        ${verified.entries.length} entries, complete from seq 0 to the head ${verified.head.head.slice(0, 16)}…, committed by checkpoint ${verified.head.checkpoint.size}`);
} catch (e) {
  // Every refusal carries a documented code (spec/errors.md); branch on it, not on text.
  console.error(isNexusError(e) ? `failed: ${e.code}${e.field === undefined ? '' : ` ${e.field}`}: ${e.message}` : e);
  process.exitCode = 1;
} finally {
  await client.close();
}
