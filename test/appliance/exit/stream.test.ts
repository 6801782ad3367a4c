// Memory stays flat: a 256 MiB member streams through the route to a reader that stops for
// a while, and the section is never asked for much more than the reader has taken.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../helpers/ports.js';
import { signRequest, toBase64, verifyExitBundle, type BundleSource } from '@nexus-cos/sdk';
import { request } from 'undici';
import type { BundleSection } from '../../../appliance/src/exit/section.js';
import { send } from '../http/harness.js';
import { trustedRoot } from '../../helpers/ledger.js';
import { listening, owner, requestExit } from './listening.js';

const CLI = fileURLToPath(new URL('../../../sdk/dist/cli/imvu-exit.js', import.meta.url));
const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
/** Socket buffers and stream high-water marks on both sides stay well under this. */
const SLACK = 32 * MiB;

let produced = 0;
const chunk = Buffer.alloc(MiB, 0x5a);

/** A section of one disk-shaped member of `mib` MiB; `before(i)` runs before chunk i is yielded. */
function diskSection(name: string, mib: number, before: (i: number) => Promise<void> | void = () => undefined): BundleSection {
  return {
    name,
    async *files(): AsyncGenerator<BundleSource> {
      yield {
        path: `compute/${name}/disk.qcow2`, size: mib * MiB, mediaType: 'application/octet-stream',
        open: async function* () {
          for (let i = 0; i < mib; i++) {
            await before(i);
            produced += MiB;
            yield chunk;
          }
        },
      };
    },
  };
}

const big = diskSection('big', SIZE / MiB);

t.test('the bundle streams with backpressure: a paused reader pauses the builder', async (t) => {
  const l = await listening(t, [big]);
  const path = `/v1/imvus/${l.id}/exit`;
  const res = await request(`${l.url}${path}`, { method: 'POST', headers: { authorization: await signRequest(owner, { method: 'POST', path, body: new Uint8Array(0) }) } });
  t.equal(res.statusCode, 200);
  const announced = Number(res.headers['x-nexus-exit-size']);
  t.ok(announced > SIZE, `size announced before the body: ${announced}`);
  let received = 0;
  let paused = false;
  let worst = 0;
  for await (const c of res.body) {
    received += (c as Buffer).length;
    worst = Math.max(worst, produced - received);
    if (!paused && received > 64 * MiB) {
      paused = true;
      const at = produced;
      await sleep(1500);
      t.ok(produced - at < SLACK, `while the reader paused 1.5 s the builder produced ${((produced - at) / MiB).toFixed(1)} MiB more`);
    }
  }
  t.equal(received, announced, 'every announced byte arrived');
  t.ok(worst < SLACK, `the builder was never more than ${(worst / MiB).toFixed(1)} MiB ahead of the reader`);
});

t.test('the export is pinned to its anchor: entries and checkpoints made while it streams are not in it', async (t) => {
  let l: Awaited<ReturnType<typeof listening>> | undefined;
  let acted = false;
  // A slow member before the ledger section: while it streams, the tenant acts and a newer
  // checkpoint is signed, as happens every second on a busy appliance.
  const slow = diskSection('slow', 4, async (i) => {
    if (i !== 1 || l === undefined) return;
    const r = await send(l.s.app, owner, 'POST', `/v1/imvus/${l.id}/consents`, { purpose: 'mail.processing' });
    acted = r.statusCode === 200;
    l.s.ledger.checkpoint();
  });
  l = await listening(t, [slow]);
  const a = await requestExit(l, owner);
  t.equal(a.status, 200);
  t.ok(acted, 'the tenant acted while the bundle streamed');
  const v = await verifyExitBundle([a.body], trustedRoot);
  const now = l.s.ledger.store.chain(l.id, 0, 1e9).length;
  t.ok(v.entries < now, `the bundle holds the chain as of its anchor (${v.entries} of ${now} entries now)`);
  t.ok(Number(v.checkpointSize) < l.s.ledger.checkpointer.latestSize, 'anchored at the checkpoint pinned when the exit started, not a later one');
});

t.test('imvu-exit interrupted mid-download removes its partial file', async (t) => {
  // A member that stalls after 16 MiB, so the download is surely under way when interrupted.
  let release: () => void = () => undefined;
  const stalled = new Promise<void>((ok) => { release = ok; });
  const stalling = diskSection('stall', 32, (i) => (i === 16 ? stalled : undefined));
  const l = await listening(t, [stalling]);
  t.teardown(() => release());
  const dir = mkdtempSync(join(tmpdir(), 'imvu-exit-'));
  const keyPath = join(dir, 'owner.key');
  writeFileSync(keyPath, `${toBase64(new Uint8Array(32).fill(21))}\n`, { mode: 0o600 });
  const child = spawn(process.execPath, [CLI, '--imvu-id', l.id, '--key', keyPath, '--appliance', l.url, '--out', join(dir, 'b.tar'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  const part = await eventually(() => readdirSync(dir).find((n) => n.endsWith('.part') && statSync(join(dir, n)).size > 8 * MiB), 60_000);
  t.ok(part, `the download is under way in ${part ?? '(none)'}`);
  child.kill('SIGINT');
  const [code, signal] = await exited;
  t.equal(signal ?? code, 'SIGINT', 'it dies by the signal');
  t.same(readdirSync(dir).filter((n) => n !== 'owner.key'), [], 'no partial file, no bundle');
});
