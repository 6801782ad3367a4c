// Memory stays flat: a 256 MiB member streams through the route to a reader that stops for
// a while, and the section is never asked for much more than the reader has taken.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { signRequest, verifyExitBundle, type BundleSource } from '@nexus-cos/sdk';
import { request } from 'undici';
import type { BundleSection } from '../../../appliance/src/exit/section.js';
import { send } from '../http/harness.js';
import { trustedRoot } from '../../helpers/ledger.js';
import { listening, owner, requestExit } from './listening.js';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
/** Socket buffers and stream high-water marks on both sides stay well under this. */
const SLACK = 32 * MiB;

let produced = 0;
const chunk = Buffer.alloc(MiB, 0x5a);
const big: BundleSection = {
  name: 'big',
  async *files(): AsyncGenerator<BundleSource> {
    yield {
      path: 'compute/big/disk.qcow2', size: SIZE, mediaType: 'application/octet-stream',
      open: async function* () {
        for (let n = 0; n < SIZE; n += MiB) {
          produced += MiB;
          yield chunk;
        }
      },
    };
  },
};

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
  const slow: BundleSection = {
    name: 'slow',
    async *files(): AsyncGenerator<BundleSource> {
      yield {
        path: 'compute/slow/disk.qcow2', size: 4 * MiB, mediaType: 'application/octet-stream',
        open: async function* () {
          for (let i = 0; i < 4; i++) {
            if (i === 1 && l !== undefined) {
              const r = await send(l.s.app, owner, 'POST', `/v1/imvus/${l.id}/consents`, { purpose: 'mail.processing' });
              acted = r.statusCode === 200;
              l.s.ledger.checkpoint();
            }
            yield chunk;
          }
        },
      };
    },
  };
  l = await listening(t, [slow]);
  const a = await requestExit(l, owner);
  t.equal(a.status, 200);
  t.ok(acted, 'the tenant acted while the bundle streamed');
  const v = await verifyExitBundle([a.body], trustedRoot);
  const now = l.s.ledger.store.chain(l.id, 0, 1e9).length;
  t.ok(v.entries < now, `the bundle holds the chain as of its anchor (${v.entries} of ${now} entries now)`);
  t.ok(Number(v.checkpointSize) < l.s.ledger.checkpointer.latestSize, 'anchored at the checkpoint pinned when the exit started, not a later one');
});
