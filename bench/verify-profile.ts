import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LocalSigner, TRUSTED_ROOT_MEDIA_TYPE, loadTrustedRoot, verifyExitBundle } from '@nexus-cos/sdk';
import { checkLedger } from '../sdk/src/exit/ledger-check.js';
import { readMembers } from '../sdk/src/exit/read.js';
import { loadTrustedRoot as loadRootFromSources } from '../sdk/src/verify/trusted-root.js';
import { buildExitBundle } from '../appliance/src/exit/builder.js';
import { ledgerSection } from '../appliance/src/exit/sections/ledger.js';
import { IMVU, ORIGIN, ledgerWith, rawVerifier, record } from './exit.js';

// A profiling driver for exit-bundle verification, not a bench suite: `build` writes a bundle
// of N usage entries once (signing is slow), `verify` checks it, timed, so it can run under
// `node --cpu-prof`. `verify-seq` checks only the ledger on the main thread, from the sources,
// so one profile shows the whole per-entry path (worker threads write no profile of their own).
// `ratio` prints the bench's figure (entries/s against cores x raw verify) for a prebuilt bundle.
//   npx tsx bench/verify-profile.ts build /tmp/b.tar 20000
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/verify-profile.ts verify-seq /tmp/b.tar

const [mode, file, count] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: build|verify|verify-seq|ratio FILE [ENTRIES|ROUNDS]');
const platform = LocalSigner.fromSeed(new Uint8Array(32).fill(9));
const rootJson = { mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin: ORIGIN, keys: [{ name: ORIGIN, publicKey: platform.publicKey.id }] };
const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

if (mode === 'build') {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { ledger } = await ledgerWith(mkdtempSync(join(tmpdir(), 'nexus-verify-profile-')), Number(count ?? 20_000));
  const chunks: Uint8Array[] = [];
  await pipeline(buildExitBundle({ ledger, platform, sections: [ledgerSection(ledger, platform.publicKey.id), record] }, IMVU, new Date()), new Writable({
    write(c: Uint8Array, _e, cb) { chunks.push(c); cb(); },
  }));
  await ledger.close();
  writeFileSync(file, Buffer.concat(chunks));
} else if (mode === 'ratio') {
  // The bench's figure on a prebuilt bundle: best of `count` rounds, each against cores x raw verify.
  const { availableParallelism } = await import('node:os');
  const bytes = new Uint8Array(readFileSync(file));
  const rawRound = rawVerifier();
  let raw = 0;
  let best = 0;
  for (let round = 0; round < Number(count ?? 3); round++) {
    raw = Math.max(raw, rawRound());
    const start = process.hrtime.bigint();
    const v = await verifyExitBundle([bytes], loadTrustedRoot(rootJson));
    best = Math.max(best, v.entries / seconds(start));
  }
  const baseline = raw * availableParallelism();
  process.stdout.write(`${JSON.stringify({ mode, perSecond: Math.round(best), baseline: Math.round(baseline), ratio: Math.round((best / baseline) * 1000) / 1000 })}\n`);
} else {
  const bytes = new Uint8Array(readFileSync(file));
  const start = process.hrtime.bigint();
  let entries: number;
  if (mode === 'verify-seq') {
    const files = new Map<string, Uint8Array>();
    for await (const m of readMembers([bytes])) if (m.bytes !== undefined) files.set(m.path, m.bytes);
    entries = (await checkLedger(files, loadRootFromSources(rootJson), Infinity)).entries.length;
  } else {
    entries = (await verifyExitBundle([bytes], loadTrustedRoot(rootJson))).entries;
  }
  const s = seconds(start);
  process.stdout.write(`${JSON.stringify({ mode, entries, seconds: Math.round(s * 1000) / 1000, perSecond: Math.round(entries / s) })}\n`);
}
