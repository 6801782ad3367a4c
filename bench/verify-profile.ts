import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LocalSigner, TRUSTED_ROOT_MEDIA_TYPE, loadTrustedRoot, verifyExitBundle } from '@nexus-cos/sdk';
import { checkLedger } from '../sdk/src/exit/ledger-check.js';
import { readMembers } from '../sdk/src/exit/read.js';
import { loadTrustedRoot as loadRootFromSources } from '../sdk/src/verify/trusted-root.js';
import { CHAIN_PATH, HEAD_PROOF_PATH, INCLUSION_PATH } from '../sdk/src/exit/layout.js';
import { runBatch } from '../sdk/src/verify/parallel/batch.js';
import { lineRecords } from '../sdk/src/verify/parallel/shared.js';
import { verifyHeadProof } from '../sdk/src/verify/slice.js';
import { TrustedKeys } from '../sdk/src/verify/trust.js';
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
if (file === undefined) throw new Error('usage: build|verify|verify-seq|worker|ratio FILE [ENTRIES|ROUNDS]');
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
  // CPU time (every thread of the process) per entry, beside one raw verify's: steadier than
  // wall-clock rates on a shared machine, and what the ratio tends to when every core is busy.
  let cpuPerEntry = Infinity;
  let rawCpu = Infinity;
  const cpu = (): number => { const u = process.cpuUsage(); return u.user + u.system; };
  for (let round = 0; round < Number(count ?? 3); round++) {
    let c = cpu();
    const r = rawRound();
    rawCpu = Math.min(rawCpu, (cpu() - c) / 20_000);
    raw = Math.max(raw, r);
    c = cpu();
    const start = process.hrtime.bigint();
    const v = await verifyExitBundle([bytes], loadTrustedRoot(rootJson));
    best = Math.max(best, v.entries / seconds(start));
    cpuPerEntry = Math.min(cpuPerEntry, (cpu() - c) / v.entries);
  }
  const baseline = raw * availableParallelism();
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ mode, perSecond: Math.round(best), baseline: Math.round(baseline), ratio: r3(best / baseline), cpuUsPerEntry: r3(cpuPerEntry), rawCpuUs: r3(rawCpu), cpuRatio: r3(rawCpu / cpuPerEntry) })}\n`);
} else {
  const bytes = new Uint8Array(readFileSync(file));
  const start = process.hrtime.bigint();
  let entries: number;
  if (mode === 'worker') {
    // One worker's code (runBatch) on this thread, over the whole chain: what a profile of a verify worker would show.
    const files = new Map<string, Uint8Array>();
    for await (const m of readMembers([bytes])) if (m.bytes !== undefined) files.set(m.path, m.bytes);
    const root = loadRootFromSources(rootJson);
    const chain = lineRecords(files.get(CHAIN_PATH) as Uint8Array, CHAIN_PATH);
    const n = chain.ends.length;
    const head = verifyHeadProof(JSON.parse(Buffer.from(files.get(HEAD_PROOF_PATH) as Uint8Array).toString()), root);
    const job = {
      chain, chainId: head.chain, hashes: new Uint8Array(32 * n), events: new Uint32Array(n),
      proofs: { ...lineRecords(files.get(INCLUSION_PATH) as Uint8Array, INCLUSION_PATH), size: Number(head.checkpoint.size), root: head.checkpoint.root },
    };
    const trusted = TrustedKeys.fromDids(root.noteKeys.map((k) => k.publicKey.id));
    const c0 = process.cpuUsage();
    for (let base = 0; base < n; base += 1024) {
      const r = runBatch({ id: 0, base, count: Math.min(1024, n - base), job }, trusted);
      if (r.failure !== undefined || r.inclusionFailure !== undefined) throw new Error(JSON.stringify(r));
    }
    const c = process.cpuUsage(c0);
    entries = n;
    process.stderr.write(`cpu us/entry ${((c.user + c.system) / n).toFixed(1)}\n`);
  } else if (mode === 'verify-seq') {
    const files = new Map<string, Uint8Array>();
    for await (const m of readMembers([bytes])) if (m.bytes !== undefined) files.set(m.path, m.bytes);
    entries = (await checkLedger(files, loadRootFromSources(rootJson), { parallelFrom: Infinity })).count;
  } else {
    entries = (await verifyExitBundle([bytes], loadTrustedRoot(rootJson))).entries;
  }
  const s = seconds(start);
  process.stdout.write(`${JSON.stringify({ mode, entries, seconds: Math.round(s * 1000) / 1000, perSecond: Math.round(entries / s) })}\n`);
}
