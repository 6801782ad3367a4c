import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir } from '../../../appliance/src/config/init.js';
import { loadConfig } from '../../../appliance/src/config/load.js';
import { readPlatformKey } from '../../../appliance/src/config/platform-key.js';
import { SETTINGS, envName, flagName } from '../../../appliance/src/config/settings.js';
import { throwsCode } from '../../helpers/codes.js';

const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'nx-cfg-')), 'data');

t.test('init: 0700 dir, 0600 key (raw 32-byte seed, base64), config.json; idempotent', async (t) => {
  const dataDir = fresh();
  const a = initDataDir({ dataDir, origin: 'box.example/nexus-cos', jurisdiction: 'DE' });
  t.equal(a.created, true);
  t.equal(statSync(dataDir).mode & 0o777, 0o700);
  t.equal(statSync(join(dataDir, 'platform.key')).mode & 0o777, 0o600);
  t.equal(Buffer.from(readFileSync(join(dataDir, 'platform.key'), 'utf8').trim(), 'base64').length, 32);
  t.same(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')), { ledger: { origin: 'box.example/nexus-cos' }, storagePools: { local: 'DE' } });
  const b = initDataDir({ dataDir });
  t.equal(b.created, false, 'a second init keeps the key');
  t.equal(b.platformKey, a.platformKey);
  t.equal(readPlatformKey(join(dataDir, 'platform.key')).publicKey.id, a.platformKey);
});

t.test('a key file others can read is refused', async (t) => {
  const dataDir = fresh();
  initDataDir({ dataDir });
  chmodSync(join(dataDir, 'platform.key'), 0o644);
  throwsCode(t, () => readPlatformKey(join(dataDir, 'platform.key')), 'CONFIG_INVALID');
  throwsCode(t, () => readPlatformKey(join(dataDir, 'nope.key')), 'CONFIG_INVALID', 'a missing key');
});

t.test('precedence: flags > environment > config.json > defaults', async (t) => {
  const dataDir = fresh();
  initDataDir({ dataDir });
  const file = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...file, http: { port: 9001, host: '127.0.0.2' }, knot: { port: 5301 }, log: { level: 'warn' } }));
  const base = loadConfig({ flags: { 'data-dir': dataDir }, env: {} });
  t.equal(base.http.port, 9001, 'file over default');
  t.equal(base.http.host, '127.0.0.2');
  t.equal(base.haraka.port, 2525, 'default where nothing is set');
  t.equal(base.knot.managed, true);
  const env = loadConfig({ flags: { 'data-dir': dataDir }, env: { NEXUS_COS_HTTP_PORT: '9002', NEXUS_COS_KNOT_MANAGED: 'false' } });
  t.equal(env.http.port, 9002, 'environment over file');
  t.equal(env.knot.managed, false);
  t.equal(env.knot.port, 5301, 'sibling settings from the file are kept');
  const flag = loadConfig({ flags: { 'data-dir': dataDir, 'http-port': '9003' }, env: { NEXUS_COS_HTTP_PORT: '9002' } });
  t.equal(flag.http.port, 9003, 'flag over environment');
  const viaEnv = loadConfig({ flags: {}, env: { NEXUS_COS_DATA_DIR: dataDir } });
  t.equal(viaEnv.dataDir, dataDir, 'the data dir from the environment');
});

t.test('invalid values are CONFIG_INVALID naming the field', async (t) => {
  const dataDir = fresh();
  initDataDir({ dataDir });
  const cases: [Record<string, string>, Record<string, string>, string][] = [
    [{ 'http-port': '70000' }, {}, '/http/port'],
    [{ 'http-port': 'x' }, {}, '/http/port'],
    [{}, { NEXUS_COS_HARAKA_MANAGED: 'yes' }, '/haraka/managed'],
    [{}, { NEXUS_COS_LOG_LEVEL: 'chatty' }, '/log/level'],
    [{ operators: 'did:key:nope' }, {}, '/operators/0'],
  ];
  for (const [flags, env, field] of cases) {
    try {
      loadConfig({ flags: { 'data-dir': dataDir, ...flags }, env });
      t.fail(`${field}: accepted`);
    } catch (e) {
      t.match(e, { code: 'CONFIG_INVALID', field }, `${JSON.stringify({ ...flags, ...env })} → ${field}`);
    }
  }
  writeFileSync(join(dataDir, 'config.json'), '{"ledger": {"origin": "x"}, "http": {"port": "80"}}');
  t.throws(() => loadConfig({ flags: { 'data-dir': dataDir }, env: {} }), { code: 'CONFIG_INVALID', field: '/http/port' }, 'a string port in the file is not coerced');
  writeFileSync(join(dataDir, 'config.json'), '{"ledger": {"origin": "x"}, "htp": {}}');
  t.throws(() => loadConfig({ flags: { 'data-dir': dataDir }, env: {} }), { code: 'CONFIG_INVALID' }, 'an unknown setting is refused, not ignored');
  writeFileSync(join(dataDir, 'config.json'), '{');
  t.throws(() => loadConfig({ flags: { 'data-dir': dataDir }, env: {} }), { code: 'CONFIG_INVALID' }, 'a config file that is not JSON');
  t.throws(() => loadConfig({ flags: { 'data-dir': fresh() }, env: {} }), { code: 'CONFIG_INVALID', field: '/ledger' }, 'no init: no origin');
});

t.test('flag and variable names follow the setting', async (t) => {
  const s = SETTINGS.find((x) => x.pointer === '/http/bodyLimit');
  t.equal(s && flagName(s), 'http-body-limit');
  t.equal(s && envName(s), 'NEXUS_COS_HTTP_BODY_LIMIT');
});
