import { defineConfig } from 'tsup';

// Haraka loads plugins with a plain `require`, so the plugin ships as one CommonJS file.
// Its packages (mailauth, haraka-dsn, …) stay external: Haraka's own copies resolve from
// node_modules. The channel protocol types come from the appliance and vanish at build.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['cjs'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  skipNodeModulesBundle: true,
});
