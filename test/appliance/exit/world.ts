// An IMVU with history on a real stack (ledger, registry, gatekeeper, services): a bound
// domain with records changed twice and a transfer authorization, then its exit bundle.
import type { Test } from 'tap';
import { fileURLToPath } from 'node:url';
import type { DomainChallenge } from '@nexus-cos/sdk';
import { readPolicyDir } from '../../../appliance/src/adapters/cedar/policy-files.js';
import { buildExitBundle } from '../../../appliance/src/exit/builder.js';
import { bundleSections } from '../../../appliance/src/exit/sections/all.js';
import type { DnsDeps } from '../../../appliance/src/services/index.js';
import { platform } from '../../helpers/ledger.js';
import { createImvu, key, register, send, stack, type Stack } from '../http/harness.js';

export const D = 'example.org';
export const alice = key(11);
export const RRSETS = [
  { name: `www.${D}`, type: 'A', ttl: 300, records: ['192.0.2.10', '192.0.2.11'] },
  { name: D, type: 'MX', ttl: 3600, records: [`10 mail.${D}.`] },
  { name: D, type: 'TXT', ttl: 300, records: ['"v=spf1 mx -all"'] },
];
const POLICIES = fileURLToPath(new URL('../../../appliance/policies/', import.meta.url));

export interface World {
  readonly s: Stack;
  readonly id: string;
  readonly deps: DnsDeps;
  bundle(): Promise<Buffer>;
}

/** Publishes the TXT challenge where the resolver will look (a fake resolver or a parent knotd). */
export type Publish = (name: string, value: string) => Promise<void>;

/** Builds the world over `deps`; `publish` answers the domain-ownership challenge. */
export async function world(t: Test, deps: DnsDeps, publish: Publish): Promise<World> {
  const s = await stack({ dns: deps });
  t.teardown(() => s.close());
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  const base = `/v1/imvus/${id}/domains`;
  const c = (await send(s.app, alice, 'POST', base, { domain: D })).json() as DomainChallenge;
  await publish(c.record.name, c.record.value);
  const ok = async (r: Promise<{ statusCode: number; body: string }>) => {
    const x = await r;
    if (x.statusCode >= 300) throw new Error(`setup failed: ${x.body}`);
  };
  await ok(send(s.app, alice, 'POST', `${base}/${D}/verify`));
  await ok(send(s.app, alice, 'PATCH', `${base}/${D}/rrsets`, { rrsets: RRSETS.slice(0, 2) }));
  await ok(send(s.app, alice, 'PATCH', `${base}/${D}/rrsets`, { rrsets: RRSETS.slice(2) }));
  s.ledger.checkpoint();
  await ok(send(s.app, alice, 'POST', `${base}/${D}/transfer`, { to: 'registrar.example' }));
  const sections = bundleSections({ ledger: s.ledger, platformKey: platform.publicKey.id, registry: s.registry, policies: readPolicyDir(POLICIES), dns: deps });
  const bundle = async (): Promise<Buffer> => {
    const chunks: Uint8Array[] = [];
    for await (const c of buildExitBundle({ ledger: s.ledger, platform, sections }, id, new Date())) chunks.push(c);
    return Buffer.concat(chunks);
  };
  return { s, id, deps, bundle };
}
