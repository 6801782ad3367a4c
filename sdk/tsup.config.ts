import { defineConfig } from 'tsup';

// ESM only, with declarations; one entry per public subpath plus the CLI.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'verify/index': 'src/verify/index.ts',
    'client/index': 'src/client/index.ts',
    'cli/imvu-verify': 'src/cli/imvu-verify.ts',
    'cli/imvu-exit': 'src/cli/imvu-exit.ts',
    // Its own file, so worker threads load only the verifier (pool.ts finds it by the exports map).
    'verify/worker': 'src/verify/parallel/worker.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
});
