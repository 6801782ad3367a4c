import { runBench, type Bench, type BenchResult } from './harness.js';

// `npm run bench [-- FILTER]`: one JSON object per line. Each figure is a ratio against a
// raw baseline measured in the same run, so results compare across machines.
const filter = process.argv[2] ?? '';
const suites: Record<string, () => Promise<Bench[]>> = {
  sdk: async () => (await import('./sdk.js')).sdkBenches,
  merkle: async () => (await import('./merkle.js')).merkleBenches,
  ledger: async () => (await import('./ledger.js')).ledgerBenches,
  gates: async () => (await import('./gates.js')).gateBenches,
  api: async () => (await import('./api.js')).apiBenches,
  dns: async () => (await import('./dns.js')).dnsBenches,
  compute: async () => (await import('./compute.js')).computeBenches,
  mail: async () => (await import('./mail.js')).mailBenches,
  exit: async () => (await import('./exit.js')).exitBenches,
  'exit-request': async () => (await import('./exit-request.js')).exitRequestBenches,
  netimport: async () => (await import('./netimport.js')).netimportBenches,
};

// A bench whose subject is async, or whose figure is not a rate (memory), measures itself.
type MeasuredBench = Bench & { measure(): Promise<BenchResult> };
const measuresItself = (b: Bench): b is MeasuredBench => typeof (b as Partial<MeasuredBench>).measure === 'function';

for (const [suite, load] of Object.entries(suites)) {
  if (filter !== '' && !suite.includes(filter) && !filter.startsWith(`${suite}.`) && !filter.startsWith(suite)) continue;
  for (const b of await load()) {
    if (filter !== '' && !b.name.includes(filter) && !suite.includes(filter)) continue;
    process.stdout.write(`${JSON.stringify(measuresItself(b) ? await b.measure() : runBench(b))}\n`);
  }
}
