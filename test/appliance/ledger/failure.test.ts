import t from 'tap';
import { SqliteLedgerStore } from '../../../appliance/src/adapters/sqlite/ledger-store.js';
import { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import type { StoreBatch } from '../../../appliance/src/ports/ledger-store.js';
import { ORIGIN, openLedger, platform, steppingClock, tempDb, usage } from '../../helpers/ledger.js';
import { rejectsCode, throwsCode } from '../../helpers/codes.js';

/** The real store, made to fail its Nth entry write, as a full disk or an I/O error would. */
class FailingStore extends SqliteLedgerStore {
  constructor(path: string, private failAt: number) {
    super(path);
  }
  override append(batch: StoreBatch): void {
    if (batch.entries.length > 0 && --this.failAt === 0) throw new Error('EIO: simulated write failure');
    super.append(batch);
  }
}

t.test('a failed write closes the ledger: nothing more is acknowledged or signed, and restart is clean', async (t) => {
  const path = tempDb();
  const ledger = Ledger.open({ store: new FailingStore(path, 2), signer: platform, origin: ORIGIN, clock: steppingClock(), checkpointEvery: 1_000_000, checkpointIntervalMs: 1e12 });
  await recordUsage(ledger, usage('IMVU-042', 1));
  await rejectsCode(t, () => recordUsage(ledger, usage('IMVU-042', 2)), 'LEDGER_UNAVAILABLE', 'the failed write is not acknowledged');
  throwsCode(t, () => ledger.checkpoint(), 'LEDGER_UNAVAILABLE', 'no checkpoint over entries the disk does not hold');
  await rejectsCode(t, () => recordUsage(ledger, usage('IMVU-042', 3)), 'LEDGER_UNAVAILABLE', 'later writes are refused');
  await ledger.close();
  const again = openLedger(path);
  t.equal(again.tree.size, 1, 'restart verifies and holds exactly the acknowledged entry');
  const r = await recordUsage(again, usage('IMVU-042', 2));
  t.same([r.index, r.seq], [1, 1], 'the unacknowledged event can be sent again');
  await again.close();
});

t.test('a failure while the automatic checkpoint runs also closes the ledger instead of hanging', async (t) => {
  const path = tempDb();
  class FailingCheckpoint extends SqliteLedgerStore {
    override append(batch: StoreBatch): void {
      if (batch.checkpoint !== undefined) throw new Error('EIO on checkpoint');
      super.append(batch);
    }
  }
  const ledger = Ledger.open({ store: new FailingCheckpoint(path), signer: platform, origin: ORIGIN, clock: steppingClock(), checkpointEvery: 2, checkpointIntervalMs: 1e12 });
  await recordUsage(ledger, usage('IMVU-042', 1));
  await recordUsage(ledger, usage('IMVU-042', 2)); // durable; the checkpoint after it fails
  await ledger.flush();
  throwsCode(t, () => ledger.assertWritable(), 'LEDGER_UNAVAILABLE');
  await rejectsCode(t, () => recordUsage(ledger, usage('IMVU-042', 3)), 'LEDGER_UNAVAILABLE');
  await ledger.close();
  t.equal(openLedger(path).tree.size, 2, 'both acknowledged entries are there after restart');
});
