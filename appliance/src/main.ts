// The composition root: the only module that knows the concrete adapters (SQLite ledger
// and registry, Cedar, execa, pino, fastify) and wires them to the ports.
import { isNexusError, type HealthReport } from '@nexus-cos/sdk';
import { pino, type Logger } from 'pino';
import { CedarAuthorizer } from './adapters/cedar/cedar-authorizer.js';
import { ExecaRunner } from './adapters/process/execa-runner.js';
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
import { createServices, type Services } from './services/index.js';
import { Supervisor, locateHaraka, overall, type ComponentHealth } from './supervisor/index.js';
import { INSTALL_SCRIPT, installToDisk, type InstallRequest } from './install/installer.js';
import { prepareSystemServices, type PreparedServices } from './system/services.js';

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
  const authorizer = CedarAuthorizer.load(policiesDir());
  const clock = systemClock;
  const ledger = Ledger.open({ store: new SqliteLedgerStore(files.ledger), signer: platform, origin: config.ledger.origin, clock });
  log.info({ origin: ledger.origin, entries: ledger.tree.size, platform: platform.publicKey.id }, 'ledger verified and open');
  const registry = new SqliteRegistry(files.registry);
  let services: Services | undefined;
  const gatekeeper = new Gatekeeper({
    ledger, signer: platform, authorizer, gates: GATES, gateCodes: GATE_ERROR_CODES, clock,
    facts: () => (services as Services).facts(),
  });
  services = createServices({ ledger, gatekeeper, registry, platform, operators: config.operators, storagePools: config.storagePools, clock });

  const supervisor = new Supervisor({
    dataDir: config.dataDir, runner: new ExecaRunner(), log: log.child({ module: 'supervisor' }), harakaBin: locateHaraka(),
    knot: config.knot, haraka: config.haraka,
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
    const components = { ledger: ledgerHealth(), ...supervisor.health() };
    return { status: overall(components), components, platformKey: platform.publicKey.id };
  };

  const started = await supervisor.start();
  for (const [name, ok] of Object.entries(started)) if (!ok) log.warn({ component: name }, 'component not ready; the supervisor keeps retrying');

  // Nonces survive restarts (spec/requests.md §5): a request the previous process accepted
  // stays a replay however the process ended.
  const nonces = new SqliteNonceStore(files.nonces, MAX_LIFETIME_MS + MAX_SKEW_MS);
  const app = buildServer({ services, health, startedAt: Date.now(), logger: log, bodyLimit: config.http.bodyLimit, nonces });
  try {
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (e) {
    await supervisor.stop();
    await ledger.close();
    registry.close();
    nonces.close();
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
      await ledger.close();
      log.info({ entries: ledger.tree.size }, 'ledger flushed, final checkpoint signed, closed');
      registry.close();
      nonces.close();
      await supervisor.stop();
      log.info({}, 'stopped');
    })()),
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
