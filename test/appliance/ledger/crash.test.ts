import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SqliteLedgerStore } from '../../../appliance/src/adapters/sqlite/ledger-store.js';
import { verifyLedgerSlice } from '@nexus-cos/sdk';
import { sliceArtifact } from '../../../appliance/src/ledger/proofs.js';
import { openLedger, tempDb, trustedRoot } from '../../helpers/ledger.js';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/tsx/dist/esm/index.mjs', import.meta.url));

/** Runs the child until it has acknowledged something, then SIGKILLs it after a random delay. */
function runAndKill(path: string, start: number, acks: Map<number, { index: number; hash: string }>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD, path, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? ''; // an incomplete last line may be cut by the kill: ignore it
      for (const l of lines) {
        const [, id, index, hash] = l.split(' ');
        acks.set(Number(id), { index: Number(index), hash: hash as string });
      }
      if (!armed && lines.length > 0) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), 200 + Math.floor(Math.random() * 1500));
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // A safety net only: a child that never acknowledges is killed after a minute.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve(Math.max(start, ...acks.keys()) + 1);
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

t.test('kill -9 under sustained load: every acknowledged event is present exactly once and everything verifies', async (t) => {
  const path = tempDb();
  const acks = new Map<number, { index: number; hash: string }>();
  let next = 0;
  const kills = 6;
  for (let k = 0; k < kills; k++) next = await runAndKill(path, next, acks);
  t.ok(acks.size > 200, `${acks.size} events acknowledged across ${kills} kills`);

  // Opening runs the full gate-5 verification: entries, chains, every signed checkpoint.
  const ledger = openLedger(path);
  const store = new SqliteLedgerStore(path);
  const seen = new Map<number, number>();
  let twice = 0;
  for (const e of store.scan()) {
    const payload = JSON.parse(Buffer.from((JSON.parse(Buffer.from(e.bytes).toString()) as { payload: string }).payload, 'base64').toString()) as { id: string };
    const id = Number(payload.id.slice('evt-'.length));
    if (seen.has(id)) twice++;
    seen.set(id, e.index);
  }
  store.close();
  t.equal(twice, 0, `no event is recorded twice among ${seen.size} stored (retries after each restart included)`);
  let missing = 0;
  let moved = 0;
  for (const [id, a] of acks) {
    if (!seen.has(id)) missing++;
    else if (seen.get(id) !== a.index || ledger.tree.leaf(a.index).length !== 32) moved++;
  }
  t.equal(missing, 0, 'no acknowledged event is missing');
  t.equal(moved, 0, 'every acknowledged event is at the index it was acknowledged with');
  t.ok(ledger.checkpointer.latestSize > 0, 'checkpoints were signed during the load');
  ledger.checkpoint();
  for (const chain of ['IMVU-001', 'IMVU-042', 'IMVU-777']) {
    const slice = verifyLedgerSlice(sliceArtifact(ledger, chain), trustedRoot);
    t.ok(slice.entries.length > 0, `${chain}: slice of ${slice.entries.length} verifies complete`);
  }
  await ledger.close();
});
