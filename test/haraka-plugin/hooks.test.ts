import t from 'tap';
import constants from 'haraka-constants';
import type { Next, PluginThis } from '../../haraka-plugin-nexus/src/haraka.js';
import { guarded } from '../../haraka-plugin-nexus/src/hooks.js';
import { hook_connect_init } from '../../haraka-plugin-nexus/src/index.js';
import { refusal } from '../../haraka-plugin-nexus/src/reply.js';
import { readSettings } from '../../haraka-plugin-nexus/src/settings.js';

// The plugin's glue, in process: what Haraka would see from each hook. (The same hooks run
// inside the real Haraka in test/appliance/mail/haraka.test.ts.)
const errors: string[] = [];
const plugin = { logerror: (m: string) => errors.push(m), lognotice: () => {}, inherits: () => {}, config: { get: () => ({}) } } satisfies PluginThis;

/** Calls a hook and collects every call of its `next`. */
async function run(hook: (this: PluginThis, next: Next, ...a: never[]) => void): Promise<{ code: number | undefined; msg: unknown }[]> {
  const calls: { code: number | undefined; msg: unknown }[] = [];
  hook.call(plugin, (code, msg) => calls.push({ code, msg }));
  await new Promise((r) => setTimeout(r, 10));
  return calls;
}

const dsn = (m: unknown) => m as { code: number; reply: string };

t.test('guarded: a throw or a rejection is one 4xx tempfail, never a continue', async (t) => {
  for (const [name, fn] of [
    ['throws', () => { throw new Error('boom'); }],
    ['rejects', () => Promise.reject(new Error('boom'))],
    ['answers, then throws', (next: Next) => { next(constants.ok); throw new Error('late'); }],
  ] as const) {
    const calls = await run(guarded(name, fn as (next: Next) => void));
    t.equal(calls.length, 1, `${name}: next called exactly once`);
    if (name === 'answers, then throws') t.equal(calls[0]?.code, constants.ok, 'the first answer stands');
    else {
      t.equal(calls[0]?.code, constants.denysoft, `${name}: DENYSOFT`);
      t.match(dsn(calls[0]?.msg).reply, /^4\.3\.0 /, `${name}: enhanced 4.3.0`);
      t.equal(dsn(calls[0]?.msg).code, 451);
    }
  }
  t.ok(errors.every((e) => /boom|late/.test(e)), 'the error is logged');
});

t.test('refusal: 5xx refuses for good with its enhanced code; an inconsistent reply tempfails', async (t) => {
  const [code, d] = refusal({ code: 553, status: '5.7.1', text: 'not yours' });
  t.equal(code, constants.deny);
  t.same([d.code, d.reply], [553, '5.7.1 not yours']);
  const [c2, d2] = refusal({ code: 451, status: '4.3.0', text: 'later' });
  t.same([c2, d2.code], [constants.denysoft, 451]);
  const [c3, d3] = refusal({ code: 550, status: '4.7.1', text: 'mixed' });
  t.same([c3, d3.code], [constants.denysoft, 451], 'a 5xx with a 4.x status is not trusted as permanent');
});

t.test('connect_init sets TCP_NODELAY on the connection', async (t) => {
  const seen: boolean[] = [];
  const conn = { client: { setNoDelay: (on: boolean) => seen.push(on) } };
  const calls: unknown[] = [];
  hook_connect_init.call(plugin, () => calls.push(1), conn as never);
  await new Promise((r) => setTimeout(r, 5));
  t.same(seen, [true]);
  t.equal(calls.length, 1);
});

t.test('settings: socket and dkim_dir are required; relay is host:port', async (t) => {
  t.same(readSettings({ main: { socket: '/s', dkim_dir: '/d' } }), { socket: '/s', dkimDir: '/d', timeoutMs: 2000 });
  t.same(readSettings({ main: { socket: '/s', dkim_dir: '/d', timeout_ms: '50' }, outbound: { relay: '127.0.0.1:2525' } }).relay, { host: '127.0.0.1', port: 2525 });
  t.throws(() => readSettings({ main: { socket: '/s' } }));
  t.throws(() => readSettings({ main: { socket: '/s', dkim_dir: '/d' }, outbound: { relay: 'host; rm -rf' } }));
});
