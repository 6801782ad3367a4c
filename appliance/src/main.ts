// The composition root: the only module that knows the concrete adapters (SQLite ledger
// and registry, Cedar, execa, pino, fastify) and wires them to the ports.
import { dirname, join } from 'node:path';
import { isNexusError, type HealthReport } from '@nexus-cos/sdk';
import { pino, type Logger } from 'pino';
import { CedarAuthorizer } from './adapters/cedar/cedar-authorizer.js';
import { KnotDns } from './adapters/knot/index.js';
import { ExecaRunner } from './adapters/process/execa-runner.js';
import { NodeTxtResolver } from './adapters/resolver/node-resolver.js';
import { SqliteDomainStore } from './adapters/sqlite/domain-store.js';
import { SqliteLedgerStore } from './adapters/sqlite/ledger-store.js';
import { readPlatformKey } from './config/platform-key.js';
import { dataFiles, type ApplianceConfig } from './config/schema.js';
import { GATES, GATE_ERROR_CODES } from './domain/gates/rules/index.js';
import { Gatekeeper } from './gatekeeper/gatekeeper.js';
import { REDACT_PATHS } from './http/logging.js';
import { buildServer } from './http/server.js';
import { Ledger } from './ledger/ledger.js';
import { policiesDir } from './paths.js';
import { systemClock } from './ports/clock.js';
import { SqliteRegistry } from './registry/sqlite-registry.js';
import { SqliteNonceStore } from './adapters/sqlite/nonce-store.js';
import { MAX_LIFETIME_MS, MAX_SKEW_MS } from './domain/gates/rules/g01-identity-proof.js';
import { createServices, type DnsDeps, type Services } from './services/index.js';
import { ensureTsigKey, knotPaths } from './supervisor/knot.js';
import { LibvirtHypervisor } from './adapters/libvirt/libvirt-hypervisor.js';
import { VirshNftNetworkHost } from './adapters/libvirt/network-host.js';
import { QemuImgDisks } from './adapters/libvirt/qemu-img-disks.js';
import { SqliteComputeStore } from './adapters/sqlite/compute-store.js';
import { mkdirSync, rmSync } from 'node:fs';
import type { ComputeDeps } from './services/compute/index.js';
import { Supervisor, locateHaraka, overall, type ComponentHealth } from './supervisor/index.js';
import { SqliteMailDirectory } from './adapters/sqlite/mail-directory.js';
import { MailAuthority, MailChannelServer, harakaMailSettings, mailHost, mailPaths } from './mail/index.js';
import { INSTALL_SCRIPT, installToDisk, type InstallRequest } from './install/installer.js';
import { prepareSystemServices, type PreparedServices } from './system/services.js';
import { readPolicyDir } from './adapters/cedar/policy-files.js';
import { bundleSections } from './exit/sections/all.js';

/** A running appliance. */
export interface Appliance {
  /** The URL the HTTP API listens on. */
  readonly url: string;
  readonly platformKey: string;
  health(): HealthReport;
  /** Stops accepting, finishes in-flight requests, closes the ledger (final checkpoint), stops the children. */
  close(): Promise<void>;
}

/** The process's one logger: JSON lines on stdout, with secret-named fields redacted. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'nexus-cos' }, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } });
}

/** Opens everything, verifies the ledger (gate 5; refuses to start on failure), and listens. */
export async function startAppliance(config: ApplianceConfig, log: Logger): Promise<Appliance> {
  const files = dataFiles(config.dataDir);
  const platform = readPlatformKey(files.key);
  // Read once: the policies the gates enforce are exactly the ones an exit bundle carries.
  const policies = readPolicyDir(policiesDir());
  const authorizer = CedarAuthorizer.fromSources(policies);
  const clock = systemClock;
  const ledger = Ledger.open({ store: new SqliteLedgerStore(files.ledger), signer: platform, origin: config.ledger.origin, clock });
  log.info({ origin: ledger.origin, entries: ledger.tree.size, platform: platform.publicKey.id }, 'ledger verified and open');
  const registry = new SqliteRegistry(files.registry);
  let services: Services | undefined;
  const gatekeeper = new Gatekeeper({
    ledger, signer: platform, authorizer, gates: GATES, gateCodes: GATE_ERROR_CODES, clock,
    facts: () => (services as Services).facts(),
  });
  const mail = mailPaths(config.dataDir);
  mkdirSync(dirname(mail.directory), { recursive: true, mode: 0o700 });
  const mailDirectory = new SqliteMailDirectory(mail.directory);
  const runner = new ExecaRunner();
  const dns = dnsDeps(config, runner);
  const compute = config.compute === undefined ? undefined : wireCompute(config.dataDir, config.compute, Object.keys(config.storagePools));
  // Mail records are published at the appliance's own name, its first name server.
  const mailDeps = { directory: mailDirectory, dkimDir: mail.dkim, mxHost: mailHost(config), maildirs: mail.maildirs };
  // Exit snapshots stay beside the data they copy: mailboxes under the data directory, disks in their own pool (gate 14).
  const exitMail = { directory: mailDirectory, domains: dns.store, registry, ledger: ledger.store, mailRoot: mail.maildirs, dkimRoot: mail.dkim, scratch: config.dataDir };
  const exitCompute = compute === undefined ? {} : { compute: { store: compute.store, disks: compute.disks, hypervisor: compute.hypervisor } };
  const exitSections = bundleSections({ ledger, platformKey: platform.publicKey.id, registry, policies, dns, mail: exitMail, ...exitCompute });
  // Imports stage bundles and VM disks here; what a crash left behind is tenant data no import will use.
  const importStaging = join(config.dataDir, 'imports');
  rmSync(importStaging, { recursive: true, force: true });
  services = createServices({ ledger, gatekeeper, registry, platform, operators: config.operators, storagePools: config.storagePools, clock, dns, mail: mailDeps, policies, ...(compute === undefined ? {} : { compute }), exitSections, importStaging });
  services.compute?.metering.start(config.compute?.meterIntervalMs ?? 60_000, (e) => log.error({ err: e }, 'metering sample failed'));

  // Mail (issue 7): the decision channel listens before Haraka starts, so the plugin's first
  // question finds it. Haraka offers AUTH only under STARTTLS, with the certificate in mail/tls.
  const mailChannel = new MailChannelServer(new MailAuthority({ directory: mailDirectory, ledger, clock, mailRoot: mail.maildirs }), log.child({ module: 'mail' }));
  await mailChannel.listen(mail.socket);

  const supervisor = new Supervisor({
    dataDir: config.dataDir, runner, log: log.child({ module: 'supervisor' }), harakaBin: locateHaraka(),
    knot: config.knot, haraka: config.haraka,
    mail: await harakaMailSettings(config, runner),
  });
  const ledgerHealth = (): ComponentHealth => {
    try {
      ledger.assertWritable();
      return { status: 'ok', detail: `${ledger.tree.size} entries` };
    } catch (e) {
      return { status: 'down', detail: isNexusError(e) ? e.code : 'LEDGER_UNAVAILABLE' };
    }
  };
  const health = (): HealthReport => {
    const components = { ledger: ledgerHealth(), ...supervisor.health(), zones: zonesHealth };
    return { status: overall(components), components, platformKey: platform.publicKey.id };
  };

  const started = await supervisor.start();
  for (const [name, ok] of Object.entries(started)) if (!ok) log.warn({ component: name }, 'component not ready; the supervisor keeps retrying');
  // The ledger is the authority on every zone: repair the crash window, re-serve zones a
  // configuration re-import dropped, and report drift (never adopt it).
  const checkZones = async (domains: NonNullable<Services['domains']>): Promise<ComponentHealth> => {
    try {
      const recovered = await domains.recover();
      for (const r of recovered) {
        if (r.action !== undefined) log.warn({ zone: r.report.domain, action: r.action }, 'zone repaired from the ledger');
        if (r.report.status !== 'ok') log.warn({ zone: r.report.domain, drift: r.report }, 'zone drift: knotd serves something the ledger did not record');
      }
      const drifted = recovered.filter((r) => r.report.status !== 'ok').length;
      return drifted === 0 ? { status: 'ok', detail: `${recovered.length} zones as recorded` } : { status: 'degraded', detail: `${drifted} of ${recovered.length} zones drifted` };
    } catch (e) {
      log.error({ code: isNexusError(e) ? e.code : 'INTERNAL' }, 'zone recovery failed');
      return { status: 'down', detail: isNexusError(e) ? e.code : 'INTERNAL' };
    }
  };
  let zonesHealth: ComponentHealth = { status: 'down', detail: 'not checked: knotd was not ready' };
  let zonesRetry: NodeJS.Timeout | undefined;
  const domains = services.domains;
  if (domains !== undefined && started['knot'] !== false) zonesHealth = await checkZones(domains);
  else if (domains !== undefined) {
    // knotd (run by the system) answered late: recover as soon as its probe says it answers.
    zonesRetry = setInterval(() => {
      if (!['ok', 'external'].includes(supervisor.health()['knot']?.status ?? '')) return;
      clearInterval(zonesRetry);
      void checkZones(domains).then((h) => (zonesHealth = h));
    }, 5_000).unref();
  }

  // Nonces survive restarts (spec/requests.md §5): a request the previous process accepted
  // stays a replay however the process ended.
  const nonces = new SqliteNonceStore(files.nonces, MAX_LIFETIME_MS + MAX_SKEW_MS);
  const app = buildServer({ services, health, startedAt: Date.now(), logger: log, bodyLimit: config.http.bodyLimit, nonces });
  try {
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (e) {
    await supervisor.stop();
    await mailChannel.close();
    mailDirectory.close();
    await ledger.close();
    registry.close();
    nonces.close();
    dns.store.close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : config.http.port;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host}:${port}`;
  log.info({ url, dataDir: config.dataDir }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    platformKey: platform.publicKey.id,
    health,
    close: () => (closing ??= (async () => {
      await app.close();
      log.info({}, 'http closed; in-flight requests finished');
      // The channel closes before the ledger: a message Haraka still holds now gets a 4xx
      // tempfail (the sender retries), never a 250 whose meter could not be written.
      await mailChannel.close();
      mailDirectory.close();
      await ledger.close();
      log.info({ entries: ledger.tree.size }, 'ledger flushed, final checkpoint signed, closed');
      services?.compute?.metering.stop();
      clearInterval(zonesRetry);
      await compute?.hypervisor.close();
      compute?.store.close();
      registry.close();
      nonces.close();
      dns.store.close();
      await supervisor.stop();
      log.info({}, 'stopped');
    })()),
  };
}


/** Knot through knotc and TSIG-signed UPDATEs, the domain store, and the public resolvers. */
function dnsDeps(config: ApplianceConfig, runner: ExecaRunner): DnsDeps {
  const dir = join(config.dataDir, 'knot');
  const p = knotPaths(dir);
  ensureTsigKey(dir);
  const dns = new KnotDns({
    runner, socket: p.socket, confdb: p.confdb, zonesDir: p.zones, exportDir: join(dir, 'export'), server: { host: config.knot.host, port: config.knot.port }, tsigKeyFile: p.tsig,
    knotc: runner.which('knotc') ?? 'knotc', keymgr: runner.which('keymgr') ?? 'keymgr', knsupdate: runner.which('knsupdate') ?? 'knsupdate',
    keystoreDir: join(p.storage, 'keys', 'keys'),
  });
  return { dns, store: new SqliteDomainStore(dataFiles(config.dataDir).domains), resolver: new NodeTxtResolver(config.dns.resolvers), zone: { nameservers: config.dns.nameservers, soaEmail: config.dns.soaEmail } };
}

/** The compute adapters (issue 8): libvirt, qemu-img, virsh + nft, the compute store; pool directories under the data dir. */
function wireCompute(dataDir: string, c: NonNullable<ApplianceConfig['compute']>, pools: readonly string[]): ComputeDeps {
  const runner = new ExecaRunner();
  const poolDirs = Object.fromEntries(pools.map((p) => [p, join(dataDir, 'pools', p)]));
  const consoleDir = join(dataDir, 'console');
  for (const d of [...Object.values(poolDirs), consoleDir]) mkdirSync(d, { recursive: true, mode: 0o700 });
  return {
    hypervisor: new LibvirtHypervisor({ uri: c.uri, domainType: c.domainType, runner }),
    disks: new QemuImgDisks(runner),
    networks: new VirshNftNetworkHost(runner, c.uri),
    store: new SqliteComputeStore(join(dataDir, 'compute.sqlite')),
    poolDirs, images: c.images, consoleDir,
  };
}

/** `nexus-cos prepare-services`: the knotd/Haraka config for systemd units, with the real runner. */
export function prepareServices(config: ApplianceConfig): Promise<PreparedServices> {
  return prepareSystemServices(config, { runner: new ExecaRunner(), harakaBin: locateHaraka(), nodeBin: process.execPath });
}

/** `nexus-cos install`: the disk installer with the real runner and the ISO's install script. */
export function installDisk(req: InstallRequest, progress: (line: string) => void): Promise<void> {
  return installToDisk(req, { runner: new ExecaRunner(), script: INSTALL_SCRIPT, progress });
}
