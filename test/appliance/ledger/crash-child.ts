// Appends usage events as fast as it can and prints one line per acknowledged (durable)
// append. The crash test kills it with SIGKILL at random moments.
import { recordUsage } from '../../../appliance/src/ledger/meter.js';
import { openLedger, usage } from '../../helpers/ledger.js';

const [path, startArg] = process.argv.slice(2) as [string, string];
const start = Number(startArg);
const ledger = openLedger(path, 200);
// First retry the last events of the previous run: acknowledged or not, each must end up
// recorded at most once.
let id = Math.max(0, start - 25);
const imvus = ['IMVU-001', 'IMVU-042', 'IMVU-777'];
for (;;) {
  const batch = Array.from({ length: 50 }, () => id++);
  const receipts = await Promise.all(batch.map((i) => recordUsage(ledger, usage(imvus[i % 3] as string, i))));
  process.stdout.write(receipts.map((r, k) => `ack ${batch[k]} ${r.index} ${r.hash}\n`).join(''));
}
