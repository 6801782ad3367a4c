// A system-run knotd (the ISO's nexus-knot.service) that answers only after serve has
// started: /healthz reports knot unreachable and zones unchecked, then, once knotd answers,
// the appliance runs its zone recovery and both turn healthy, with no restart of serve.
import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HealthReport } from '@nexus-cos/sdk';
import { eventually, freePort } from '../helpers/ports.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NEXUS_COS = join(ROOT, 'appliance/dist/cli/nexus-cos.js');

t.test('zones are recovered once a late system-run knotd answers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-e2e-late-'));
  const dataDir = join(dir, 'data');
  const [httpPort, knotPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
  const env = { ...process.env, NEXUS_COS_KNOT_MANAGED: 'false', NEXUS_COS_KNOT_HOST: '127.0.0.1', NEXUS_COS_KNOT_PORT: String(knotPort) };
  const flags = ['--data-dir', dataDir, '--http-port', String(httpPort), '--haraka-port', String(smtpPort)];
  t.equal(spawnSync(process.execPath, [NEXUS_COS, 'init', '--data-dir', dataDir, '--origin', 'e2e-late.nexus-cos.invalid/log'], { encoding: 'utf8' }).status, 0, 'init');
  const prepared = spawnSync(process.execPath, [NEXUS_COS, 'prepare-services', ...flags], { encoding: 'utf8', env });
  t.equal(prepared.status, 0, `prepare-services writes knotd's confdb: ${prepared.stderr}`);

  const procs: ChildProcess[] = [];
  t.teardown(async () => {
    for (const p of procs.reverse()) {
      p.kill('SIGTERM');
      if (p.exitCode === null && p.signalCode === null) await new Promise((r) => p.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const serve = spawn(process.execPath, [NEXUS_COS, 'serve', ...flags], { stdio: 'ignore', env });
  procs.push(serve);
  const health = async (): Promise<HealthReport | undefined> => {
    const r = await fetch(`http://127.0.0.1:${httpPort}/healthz`).catch(() => undefined);
    return r === undefined ? undefined : ((await r.json()) as HealthReport);
  };
  // serve waits up to 30 s for knotd at start, then listens without it.
  const early = await eventually(health, 90_000);
  t.equal(early?.components.knot?.status, 'unreachable', 'no DNS answer: knot is reported unreachable');
  t.equal(early?.components.zones?.status, 'down', 'and the zones are not checked');
  t.equal(early?.status, 'degraded');

  // The system starts knotd now, from the confdb prepare-services wrote (as nexus-knot.service does).
  procs.splice(0, 0, spawn('knotd', ['-C', join(dataDir, 'knot', 'confdb')], { stdio: 'ignore' }));
  const late = await eventually(async () => {
    const h = await health();
    return h?.components.zones?.status === 'ok' ? h : undefined;
  }, 60_000);
  t.equal(late?.components.knot?.status, 'external', 'knotd answers now');
  t.match(late?.components.zones?.detail, /zones as recorded/, 'the zone recovery ran once it did');
  t.equal(late?.status, 'ok', 'healthy without restarting serve');
});
