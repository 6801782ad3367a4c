import { runBench, type Bench } from './harness.js';

// `npm run bench [-- FILTER]`: one JSON object per line. Each figure is a ratio against a
// raw baseline measured in the same run, so results compare across machines.
const filter = process.argv[2] ?? '';
const suites: Record<string, () => Promise<Bench[]>> = {
  sdk: async () => (await import('./sdk.js')).sdkBenches,
  merkle: async () => (await import('./merkle.js')).merkleBenches,
};

for (const [suite, load] of Object.entries(suites)) {
  if (filter !== '' && !suite.includes(filter) && !filter.startsWith(`${suite}.`) && !filter.startsWith(suite)) continue;
  for (const b of await load()) {
    if (filter !== '' && !b.name.includes(filter) && !suite.includes(filter)) continue;
    process.stdout.write(`${JSON.stringify(runBench(b))}\n`);
  }
}
