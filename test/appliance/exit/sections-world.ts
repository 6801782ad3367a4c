// An IMVU with mail and a VM on a real stack: a bound domain with mail enabled, a mailbox
// whose messages are written into a real Maildir by the Haraka plugin's own Maildir code
// and metered through the real decision authority (which records each `mail` entry), a
// VM on libvirt's test driver with a real qcow2 disk, and a declared network.
import { createHash } from 'node:crypto';
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import type { DomainChallenge } from '@nexus-cos/sdk';
import { commit, stage } from '../../../haraka-plugin-nexus/src/maildir.js';
import { readPolicyDir } from '../../../appliance/src/adapters/cedar/policy-files.js';
import { anchorExport, buildExitBundle } from '../../../appliance/src/exit/builder.js';
import { bundleSections, type SectionDeps } from '../../../appliance/src/exit/sections/all.js';
import { MailAuthority } from '../../../appliance/src/mail/authority.js';
import { systemClock } from '../../../appliance/src/ports/clock.js';
import { fakeDnsDeps } from '../../helpers/fake-dns.js';
import { platform } from '../../helpers/ledger.js';
import { createImvu, key, register, send, stack, type Stack } from '../http/harness.js';

export const D = 'example.org';
export const BOX = `bob@${D}`;
export const owner = key(31);
export const ownerSeed = new Uint8Array(32).fill(31);
export const SPEC = { name: 'web1', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };
export const POLICY = { ingress: [{ proto: 'tcp', cidr: '0.0.0.0/0', port: 443 }], egress: [] };
const POLICIES = fileURLToPath(new URL('../../../appliance/policies/', import.meta.url));

/** Messages as SMTP stores them (CRLF), one with a body line the mbox must escape. */
export const MESSAGES = [
  'From: a@remote.test\r\nTo: bob@example.org\r\nSubject: one\r\n\r\nhello\r\n',
  'From: c@remote.test\r\nTo: bob@example.org\r\nSubject: two\r\n\r\nFrom the start of a line\r\n>From already quoted\r\n\r\nFrom again\r\n',
  'From: d@remote.test\r\nTo: bob@example.org\r\nSubject: three\r\n\r\nbye\r\n',
];

export interface SectionsWorld {
  readonly s: Stack;
  readonly id: string;
  readonly mailRoot: string;
  readonly dns: ReturnType<typeof fakeDnsDeps>;
  readonly mailDeps: NonNullable<SectionDeps['mail']>;
  /** Delivers one message as Haraka's plugin does; `metered: false` skips the ledger (a message the ledger never saw). */
  deliver(text: string, metered?: boolean): Promise<string>;
  /** `afterPin` runs once the export is anchored, before anything is frozen (mail arriving mid-export). */
  bundle(opts?: { compute?: boolean; afterPin?: () => Promise<void> }): Promise<Buffer>;
}

export async function sectionsWorld(t: Test): Promise<SectionsWorld> {
  const dns = fakeDnsDeps();
  const s = await stack({ dns });
  t.teardown(() => s.close());
  const ok = async (r: Promise<{ statusCode: number; body: string }>): Promise<void> => {
    const x = await r;
    if (x.statusCode >= 300) throw new Error(`setup failed: ${x.body}`);
  };
  await register(s.app, owner);
  const id = await createImvu(s.app, owner);
  const c = (await send(s.app, owner, 'POST', `/v1/imvus/${id}/domains`, { domain: D })).json() as DomainChallenge;
  dns.resolver.records.set(c.record.name, [[c.record.value]]);
  await ok(send(s.app, owner, 'POST', `/v1/imvus/${id}/domains/${D}/verify`));
  await ok(send(s.app, owner, 'POST', `/v1/imvus/${id}/consents`, { purpose: 'mail.processing' }));
  await ok(send(s.app, owner, 'POST', `/v1/imvus/${id}/mail/${D}`));
  await ok(send(s.app, owner, 'POST', `/v1/imvus/${id}/mailboxes`, { address: BOX, password: 'correct horse battery' }));
  await ok(send(s.app, owner, 'POST', `/v1/imvus/${id}/vms`, SPEC));
  const compute = s.compute as NonNullable<Stack['compute']>;
  const directory = s.mailDirectory as NonNullable<Stack['mailDirectory']>;
  const mailRoot = join(s.dir, 'maildirs');
  const authority = new MailAuthority({ directory, ledger: s.ledger, clock: systemClock, mailRoot });
  let n = 0;
  const deliver = async (text: string, metered = true): Promise<string> => {
    const data = Buffer.from(text, 'latin1');
    const staged = await stage(authority.maildir(BOX), data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (metered) {
      const r = await authority.handle({ id: 1, op: 'meter', message: `msg-${n++}`, bytes: data.length, sha256, recipients: [BOX] });
      if (!r.ok) throw new Error('meter refused');
    }
    await commit([staged]);
    return staged.final;
  };
  for (const m of MESSAGES) await deliver(m);
  // A mail client reads the first message: it moves to cur/ with flags, a name outside the bundle grammar.
  const first = readdirSync(join(authority.maildir(BOX), 'new')).sort()[0] as string;
  renameSync(join(authority.maildir(BOX), 'new', first), join(authority.maildir(BOX), 'cur', `${first}:2,S`));
  // The declared network, as the networks service stores it (applying it needs nft and a real libvirt).
  await compute.store.change((w) => w.putNetwork({ imvu: id, policy: POLICY as never, declared: '0'.repeat(64), updatedAt: new Date().toISOString() }), async () => undefined);
  const mailDeps = { directory, domains: dns.store, registry: s.registry, ledger: s.ledger.store, mailRoot, dkimRoot: join(s.dir, 'dkim'), scratch: s.dir };
  const bundle = async (opts: { compute?: boolean; afterPin?: () => Promise<void> } = {}): Promise<Buffer> => {
    await s.ledger.flush();
    const at = anchorExport(s.ledger, id);
    await opts.afterPin?.();
    const deps: SectionDeps = {
      ledger: s.ledger, platformKey: platform.publicKey.id, registry: s.registry, policies: readPolicyDir(POLICIES), dns, mail: mailDeps,
      ...(opts.compute === false ? {} : { compute }),
    };
    const chunks: Uint8Array[] = [];
    for await (const x of buildExitBundle({ ledger: s.ledger, platform, sections: bundleSections(deps) }, id, new Date(), at)) chunks.push(x);
    return Buffer.concat(chunks);
  };
  return { s, id, mailRoot, dns, mailDeps, deliver, bundle };
}
