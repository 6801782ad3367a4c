// The worker thread of the parallel verifier: it is handed the trusted keys once and
// answers each batch with runBatch. Loaded by pool.ts through the package's own exports.
import { parentPort, workerData } from 'node:worker_threads';
import { TrustedKeys } from '../trust.js';
import { runBatch, runInclusionBatch, type Batch } from './batch.js';

const port = parentPort;
if (port !== null) {
  const trusted = TrustedKeys.fromDids((workerData as { keys: string[] }).keys);
  port.on('message', (b: Batch) => port.postMessage(b.job.pass === 'inclusion' ? runInclusionBatch(b) : runBatch(b, trusted)));
}
