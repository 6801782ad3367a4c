// The DNS section reads each zone's state as of the export's anchor: a change made while an
// export streams is past the anchor, so state.json stays the state the bundle's chain ends with.
import t from 'tap';
import { sha256, toHex, type DomainChallenge, type LedgerEntry } from '@nexus-cos/sdk';
import { anchorExport } from '../../../appliance/src/exit/builder.js';
import { dnsSection } from '../../../appliance/src/exit/sections/dns.js';
import { readEntry } from '../../../appliance/src/ledger/read-entry.js';
import { fakeDnsDeps } from '../../helpers/fake-dns.js';
import { createImvu, key, register, send, stack } from '../http/harness.js';

const D = 'example.org';
const alice = key(31);

t.test('state.json is the state recorded up to the anchor, not a later change', async (t) => {
  const dns = fakeDnsDeps();
  const s = await stack({ dns });
  t.teardown(() => s.close());
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  const c = (await send(s.app, alice, 'POST', `/v1/imvus/${id}/domains`, { domain: D })).json() as DomainChallenge;
  dns.resolver.records.set(c.record.name, [[c.record.value]]);
  t.equal((await send(s.app, alice, 'POST', `/v1/imvus/${id}/domains/${D}/verify`)).statusCode, 200);
  const rr = (ip: string) => ({ rrsets: [{ name: `www.${D}`, type: 'A', ttl: 300, records: [ip] }] });
  t.equal((await send(s.app, alice, 'PATCH', `/v1/imvus/${id}/domains/${D}/rrsets`, rr('192.0.2.1'))).statusCode, 200);
  await s.ledger.flush();

  const anchor = anchorExport(s.ledger, id);
  // After the pin, as if while earlier members stream: another change lands.
  t.equal((await send(s.app, alice, 'PATCH', `/v1/imvus/${id}/domains/${D}/rrsets`, rr('192.0.2.2'))).statusCode, 200);
  await s.ledger.flush();

  const changes = s.ledger.store.chain(id, 0, 1e9).map(readEntry).filter((e): e is Extract<LedgerEntry, { kind: 'dns_change' }> => e.kind === 'dns_change');
  t.equal(changes.length, 3, 'bind, then two changes');
  const [, atAnchor, later] = changes as [unknown, { after: string; seq: string }, { after: string; seq: string }];
  t.ok(Number(atAnchor.seq) <= Number(anchor.head.seq) && Number(later.seq) > Number(anchor.head.seq), 'the second change is past the anchor');

  const files = new Map<string, Uint8Array>();
  for await (const f of dnsSection(dns.dns, dns.store, s.ledger.store).files(id, anchor)) files.set(f.path, await bytesOf(f));
  const state = files.get(`dns/${D}/state.json`);
  t.ok(state, 'the zone is exported');
  t.equal(toHex(sha256(state as Uint8Array)), atAnchor.after, 'its state is the one recorded up to the anchor');
  t.not(atAnchor.after, later.after, 'which differs from the later one');
});

async function bytesOf(f: { open(): NodeJS.ReadableStream | AsyncIterable<Uint8Array> }): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const c of f.open() as AsyncIterable<Uint8Array>) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}
