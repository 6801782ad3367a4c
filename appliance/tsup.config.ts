import { defineConfig } from 'tsup';

// The appliance ships as one ESM bundle per command, run by plain node. Every package from
// node_modules stays external (native better-sqlite3, cedar's wasm, the SDK's own dist),
// so the bundle holds only our code. The Cedar policies are read from ../policies at run
// time (src/paths.ts finds the package root from either layout).
export default defineConfig({
  entry: { 'cli/nexus-cos': 'src/cli/nexus-cos.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  skipNodeModulesBundle: true,
});
