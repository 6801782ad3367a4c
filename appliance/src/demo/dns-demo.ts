// DNS end to end against the running appliance (scripts/demo.sh): a domain's current DNS
// (a "registrar" knotd this demo starts on the address the appliance's `dns.resolvers`
// names) receives the TXT challenge; the appliance binds the domain and serves it signed;
// an RRset change is answered by its knotd; an out-of-band edit is caught as drift and
// undone by the owner. The owner uses only the SDK; the registrar side uses our adapter.
//
//   npx tsx appliance/src/demo/dns-demo.ts <appliance URL> <appliance knot port> <registrar port> <appliance data dir>
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSigner, NexusClient } from '@nexus-cos/sdk';
import { KnotDns } from '../adapters/knot/index.js';
import { ExecaRunner } from '../adapters/process/execa-runner.js';
import { knotPaths, knotSpec } from '../supervisor/knot.js';

const [url, knotPortArg, registrarPortArg, dataDir] = process.argv.slice(2);
if (url === undefined || knotPortArg === undefined || registrarPortArg === undefined || dataDir === undefined) {
  console.error('usage: dns-demo.ts URL KNOT_PORT REGISTRAR_PORT DATA_DIR');
  process.exit(2);
}
const runner = new ExecaRunner();
const which = (p: string): string => runner.which(p) ?? p;
const dig = async (name: string, type: string, port = knotPortArg): Promise<string> =>
  (await runner.run([which('kdig'), '@127.0.0.1', '-p', port, '+short', name, type])).stdout.trim().split('\n').join(', ');

// The registrar: a knotd of its own, in a temp dir.
const dir = mkdtempSync(join(tmpdir(), 'nexus-registrar-'));
const spec = knotSpec({ dir, host: '127.0.0.1', port: Number(registrarPortArg), knotd: which('knotd'), knotc: which('knotc') }, runner);
await spec.prepare();
const registrarProc = runner.spawn(spec.argv());
const p = knotPaths(dir);
const registrar = new KnotDns({ runner, socket: p.socket, confdb: p.confdb, zonesDir: p.zones, exportDir: join(dir, 'export'), server: { host: '127.0.0.1', port: Number(registrarPortArg) }, tsigKeyFile: p.tsig, knotc: which('knotc'), keymgr: which('keymgr'), knsupdate: which('knsupdate') });
for (let i = 0; i < 50 && !(await spec.ready().catch(() => false)); i++) await new Promise((r) => setTimeout(r, 100));

const domain = `shop-${randomBytes(3).toString('hex')}.example`;
const owner = LocalSigner.generate();
const client = new NexusClient({ baseUrl: url, signer: owner });
try {
  await registrar.createZone(domain, { nameservers: ['ns1.registrar.example'], soaEmail: 'hostmaster@registrar.example' });
  await client.registerIdentity({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  const imvu = await client.createImvu({ jurisdiction: 'DE', consents: ['identity.attributes'] });
  console.log(`1. ${imvu.id} claims ${domain}`);
  const c = await client.domains.claim(imvu.id, domain);
  console.log(`   publish at the registrar: ${c.record.name} ${c.record.ttl} TXT "${c.record.value.slice(0, 28)}…" (expires ${c.expiresAt})`);
  await registrar.applyChange(domain, [{ name: c.record.name, type: 'TXT', ttl: c.record.ttl, records: [`"${c.record.value}"`] }]);
  const d = await client.domains.verify(imvu.id, domain);
  console.log(`2. bound (gate 6 found the token); give the registrar DS ${d.dnssec.ds[0] ?? '?'}`);
  await client.domains.changeRRsets(imvu.id, domain, [
    { name: `www.${domain}`, type: 'A', ttl: 300, records: ['192.0.2.80'] },
    { name: domain, type: 'MX', ttl: 3600, records: [`10 mail.${domain}.`] },
  ]);
  console.log(`3. changed (gate 7, one TSIG-signed UPDATE); knotd answers www A: ${await dig(`www.${domain}`, 'A')}, MX: ${await dig(domain, 'MX')}`);
  const socket = knotPaths(join(dataDir, 'knot')).socket;
  const kc = (...a: string[]) => runner.run([which('knotc'), '-b', '-s', socket, ...a]);
  await kc('zone-begin', domain);
  await kc('zone-set', domain, `www.${domain}.`, '300', 'A', '203.0.113.66');
  await kc('zone-commit', domain);
  const drift = await client.domains.drift(imvu.id, domain);
  console.log(`4. an operator edits the zone with knotc: status ${drift.status}, changed ${drift.changed.join(', ')}; www A now ${await dig(`www.${domain}`, 'A')}`);
  await client.domains.reconcile(imvu.id, domain);
  console.log(`5. the owner reconciles: www A is ${await dig(`www.${domain}`, 'A')} again, and the ledger records the undo`);
  const ex = await client.domains.export(imvu.id, domain);
  console.log(`6. export: ${ex.zonefile.split('\n').length} lines of RFC 1035 master file, state digest ${ex.digest.slice(0, 16)}… (the ledger's last dns_change)`);
} finally {
  await client.close();
  registrarProc.kill('SIGTERM');
  await registrarProc.exited;
  rmSync(dir, { recursive: true, force: true });
}
