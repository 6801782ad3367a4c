import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  LEDGER_ENTRY_MEDIA_TYPE as LEDGER_MEDIA_TYPE,
  LocalSigner as ApplianceSigner,
  canonicalBytes as applianceCanonicalBytes,
  leafHash as applianceLeafHash,
  pae,
  toHex,
  verifyInclusion,
} from '@nexus-cos/sdk';
import { SqliteLedgerStore } from '../appliance/src/adapters/sqlite/ledger-store.js';
import { MerkleTree } from '../appliance/src/domain/ledger/merkle-tree.js';
import { ChainState } from '../appliance/src/ledger/chain-state.js';
import { Checkpointer } from '../appliance/src/ledger/checkpointer.js';
import { Ledger } from '../appliance/src/ledger/ledger.js';
import { recordUsage, type UsageEvent } from '../appliance/src/ledger/meter.js';
import { systemClock } from '../appliance/src/ports/clock.js';
import type { LedgerStore } from '../appliance/src/ports/ledger-store.js';
import { canonicalBytes } from '../sdk/src/encoding/canonical-json.js';
import { entryHash } from '../sdk/src/ledger/entry.js';
import type { ChainEntry } from '../sdk/src/revenue/chain.js';
import { rateCardDigest } from '../sdk/src/revenue/rate-cards.js';
import { computeStatement } from '../sdk/src/revenue/statement.js';
import { GENESIS_PREV, LEDGER_ENTRY_MEDIA_TYPE, type LedgerEntry } from '../sdk/src/schemas/ledger.js';
import { RATE_CARD_MEDIA_TYPE, type Price, type RateCard } from '../sdk/src/schemas/revenue.js';
import { signJsonSync } from '../sdk/src/sign/envelope.js';
import { pae as srcPae } from '../sdk/src/sign/pae.js';
import { LocalSigner } from '../sdk/src/sign/local-signer.js';
import type { Bench, BenchResult } from './harness.js';

// The appliance ledger at a million entries. The appliance imports the SDK as
// `@nexus-cos/sdk` (sdk/dist, so `npm run build` first when it is stale); the statement
// bench runs the SDK source, as bench/sdk.ts does.
//
// Two of these cannot go through harness.runBench, which times a synchronous subject and
// reports a rate: durable appends are acknowledged asynchronously (group commit on
// setImmediate), and memory is not a rate. Those carry `measure()`, which bench/run.ts
// awaits instead; their sync subject/baseline throw.

/** A bench that measures itself: async, or not an ops/second figure. */
export interface MeasuredBench extends Bench {
  measure(): Promise<BenchResult>;
}

const N = 1_000_000;
const MiB = 1024 * 1024;
const ORIGIN = 'bench.nexus-cos.invalid/ledger';
const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);

const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);
const result = (name: string, unit: string, value: number, baseline: number): BenchResult => ({
  name, value: round(value), unit, baseline: round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000,
});
const measuresItself = (name: string) => (): number => {
  throw new Error(`${name} measures itself: run it through measure()`);
};
const note = (msg: string): void => {
  process.stderr.write(`# ${msg}\n`);
};

// One big fixture alive at a time: building the next one drops the last (1M signed
// entries and a 1M-leaf tree together would skew the memory bench and waste RSS).
let held: { key: string; value: unknown } | undefined;
function fixture<T>(key: string, build: () => T): T {
  if (held?.key !== key) {
    held = undefined;
    held = { key, value: build() };
  }
  return held.value as T;
}

/** Deterministic xorshift32, so every run proves the same indexes. */
function randomIndexes(count: number, below: number): number[] {
  let x = 0x9e3779b9;
  return Array.from({ length: count }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % below;
  });
}

/** 32-byte leaf hash number i, for trees whose leaf data does not matter. */
function syntheticLeaf(i: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, i);
  return applianceLeafHash(b);
}

// ---------------------------------------------------------------------------------------
// 1. ledger.append.durable

interface AsyncRate {
  readonly batch: number;
  readonly rounds: number;
  subject(n: number): Promise<number>;
  baseline(n: number): number;
}

/** harness.runBench for an async subject: warm both up, alternate timed rounds, keep each best. */
async function bestRates(b: AsyncRate): Promise<{ value: number; baseline: number }> {
  const rate = async (fn: (n: number) => number | Promise<number>): Promise<number> => {
    const start = process.hrtime.bigint();
    const ops = await fn(b.batch);
    return (ops * 1e9) / Number(process.hrtime.bigint() - start);
  };
  await b.subject(Math.max(1, Math.floor(b.batch / 10)));
  b.baseline(Math.max(1, Math.floor(b.batch / 10)));
  let value = 0;
  let baseline = 0;
  for (let i = 0; i < b.rounds; i++) {
    baseline = Math.max(baseline, await rate(b.baseline));
    value = Math.max(value, await rate(b.subject));
  }
  return { value, baseline };
}

const WAVE = 256;
const IMVUS = 64;

const appendDurable: MeasuredBench = {
  name: 'ledger.append.durable',
  unit: 'appends/s',
  batch: 16_384,
  subject: measuresItself('ledger.append.durable'),
  baseline: measuresItself('ledger.append.durable'),
  async measure() {
    held = undefined;
    const dir = mkdtempSync(join(tmpdir(), 'nexus-bench-ledger-'));
    const platform = ApplianceSigner.fromSeed(seed(9), 'node');
    const actor = ApplianceSigner.fromSeed(seed(10), 'node').publicKey.id;
    // Production settings: the store's WAL + synchronous=FULL, checkpoints every 1000 entries or 1 s.
    const ledger = Ledger.open({ store: new SqliteLedgerStore(join(dir, 'ledger.sqlite')), signer: platform, origin: ORIGIN, clock: systemClock });
    let next = 0;
    const event = (i: number): UsageEvent => ({
      imvu: `IMVU-${String(i % IMVUS).padStart(4, '0')}`, actor, id: `evt-${i}`, source: 'urn:nexus-cos:bench',
      type: 'dev.nexus-cos.usage.dns.query', subject: 'example.org', time: '2026-11-26T00:00:00.000Z',
      meter: 'dns.queries', quantity: 1n, unit: 'query',
    });
    // The baseline signs what the ledger signs: the DSSE PAE of a usage entry of this shape.
    const { quantity: _q, ...sample } = event(123_456);
    const msg = pae(LEDGER_MEDIA_TYPE, applianceCanonicalBytes({ ...sample, kind: 'usage', quantity: '1', v: 1, seq: '1928', prev: 'ab'.repeat(32) }));
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      const r = await bestRates({
        batch: appendDurable.batch,
        rounds: 5,
        // Waves of concurrent appends: each wave is signed as it is enqueued, committed in one
        // fsynced transaction on the next setImmediate, and only acknowledged appends count.
        async subject(n) {
          let acked = 0;
          for (let done = 0; done < n; done += WAVE) {
            const wave: Promise<unknown>[] = [];
            for (let j = 0; j < Math.min(WAVE, n - done); j++) wave.push(recordUsage(ledger, event(next++)));
            for (const s of await Promise.allSettled(wave)) if (s.status === 'fulfilled') acked++;
          }
          return acked;
        },
        baseline(n) {
          for (let i = 0; i < n; i++) nodeSign(null, msg, privateKey);
          return n;
        },
      });
      note(`ledger.append.durable: ${ledger.tree.size} entries appended, ${ledger.checkpointer.latestSize} checkpointed; signed message ${msg.length} bytes`);
      return result(appendDurable.name, appendDurable.unit, r.value, r.baseline);
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

// ---------------------------------------------------------------------------------------
// 2. ledger.statement.1m

const IMVU = 'IMVU-000042';
const LEAF_PREFIX = new Uint8Array([0]);
const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
const T0 = Date.parse('2025-01-01T00:00:00Z');
const priceOf = (meter: string, unit: string, priceMinor: bigint, per: bigint): Price => ({ meter, unit, priceMinor: String(priceMinor), per: String(per) });

interface StatementFixture {
  readonly entries: ChainEntry[];
  readonly bytes: Uint8Array[];
  readonly rateCards: Map<string, RateCard>;
}

/**
 * One IMVU chain of `n` platform-signed entries (node back end): a rate card at seq 0 and a
 * second one half-way, a revenue event every 1000th entry, usage on two meters otherwise.
 */
function buildChain(n: number): StatementFixture {
  const started = Date.now();
  const platform = LocalSigner.fromSeed(seed(3), 'node');
  const owner = LocalSigner.fromSeed(seed(1), 'node');
  const reporter = LocalSigner.fromSeed(seed(4), 'node').publicKey.id;
  const actor = platform.publicKey.id;
  const rateCards = new Map<string, RateCard>();
  const card = (version: number, effectiveFrom: string, prices: Price[]) => {
    const body: RateCard = { imvu: IMVU, version, currency: 'EUR', effectiveFrom, prices, split: { creatorBps: 5500, platformBps: 4500 } };
    const digest = rateCardDigest(signJsonSync(RATE_CARD_MEDIA_TYPE, body, [owner]));
    rateCards.set(digest, body);
    return { kind: 'rate_card' as const, version, effectiveFrom, digest };
  };
  const entries: ChainEntry[] = [];
  let prev = GENESIS_PREV;
  for (let i = 0; i < n; i++) {
    const time = new Date(T0 + i * 1000).toISOString();
    const body =
      i === 0 ? card(1, time, [priceOf('dns.queries', 'query', 1n, 1000n), priceOf('compute.vcpu', 'vcpu-second', 3n, 3600n)])
      : i === Math.floor(n / 2) ? card(2, time, [priceOf('dns.queries', 'query', 2n, 1000n), priceOf('compute.vcpu', 'vcpu-second', 4n, 3600n)])
      : i % 1000 === 999 ? { kind: 'revenue' as const, id: `r-${i}`, amount: String(100 + (i % 7)), currency: 'EUR', reporter, envelope: 'ab'.repeat(32) }
      : i % 2 === 0 ? { kind: 'usage' as const, id: `u-${i}`, source: '/meters', type: 'dev.nexus-cos.usage', subject: 'dns:example.org', meter: 'dns.queries', unit: 'query', quantity: String(1 + (i % 5)) }
      : { kind: 'usage' as const, id: `u-${i}`, source: '/meters', type: 'dev.nexus-cos.usage', subject: 'vm:web-1', meter: 'compute.vcpu', unit: 'vcpu-second', quantity: '60' };
    const entry = { v: 1, imvu: IMVU, seq: String(i), prev, actor, time, ...body } as LedgerEntry;
    // What signJsonSync + encodeEntry produce, without their generic canonicalization (these
    // are flat objects of ASCII strings) or the JS hashing: building stays near the
    // cost of the 1M signatures, which the chain makes strictly sequential. computeStatement
    // re-checks every byte (canonical envelope carrying exactly `entry`, prev links), so a slip
    // here fails the bench rather than skewing it.
    const payload = Buffer.from(flatCanonical(entry), 'utf8');
    if (i % 997 === 0 && !Buffer.from(canonicalBytes(entry)).equals(payload)) throw new Error(`ledger.statement.1m: entry ${i} is not canonical`);
    const sig = platform.signSync(srcPae(LEDGER_ENTRY_MEDIA_TYPE, payload));
    const text = `{"payload":"${b64(payload)}","payloadType":"${LEDGER_ENTRY_MEDIA_TYPE}","signatures":[{"keyid":"${actor}","sig":"${b64(sig)}"}]}`;
    const buf = Buffer.from(text, 'utf8');
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    entries.push({ bytes, entry });
    prev = createHash('sha256').update(LEAF_PREFIX).update(bytes).digest('hex');
  }
  if (entryHash(entries[n - 1]?.bytes as Uint8Array) !== prev) throw new Error('ledger.statement.1m: fixture hashing disagrees with the SDK');
  note(`ledger.statement.1m: built ${n} signed entries in ${((Date.now() - started) / 1000).toFixed(1)} s (untimed)`);
  return { entries, bytes: entries.map((e) => e.bytes), rateCards };
}

/**
 * RFC 8785 for a flat object of strings and small integers: keys sorted by UTF-16 code
 * units (the default sort) and JSON.stringify for every value, which is what JCS specifies
 * for strings and for integers. Sampled against the SDK's canonicalBytes while building.
 */
function flatCanonical(o: object): string {
  const r = o as Record<string, string | number>;
  return `{${Object.keys(r).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(r[k])}`).join(',')}}`;
}

const statementFixture = (): StatementFixture => fixture('statement', () => buildChain(N));

const statement1m: Bench = {
  // Whole-statement cost per entry (chain and byte checks, two hashes, pricing, the root)
  // against the one SHA-256 leaf hash per entry no statement can avoid.
  name: 'ledger.statement.1m',
  unit: 'entries/s',
  batch: N,
  rounds: 1,
  subject(n) {
    const f = statementFixture();
    computeStatement({ imvu: IMVU, currency: 'EUR', entries: n === f.entries.length ? f.entries : f.entries.slice(0, n), rateCards: f.rateCards });
    return n;
  },
  baseline(n) {
    const { bytes } = statementFixture();
    for (let i = 0; i < n; i++) sha256.create().update(LEAF_PREFIX).update(bytes[i] as Uint8Array).digest();
    return n;
  },
};

// ---------------------------------------------------------------------------------------
// 3. ledger.proof.inclusion

interface ProofFixture {
  readonly tree: MerkleTree;
  readonly root: Uint8Array;
  readonly indexes: number[];
  readonly proofs: Uint8Array[][];
}

const PROOFS = 4096; // a power of two: i & (PROOFS - 1) cycles through them

const proofFixture = (): ProofFixture =>
  fixture('proof', () => {
    const tree = new MerkleTree();
    for (let i = 0; i < N; i++) tree.append(syntheticLeaf(i));
    const indexes = randomIndexes(PROOFS, N);
    return { tree, root: tree.root(), indexes, proofs: indexes.map((i) => tree.inclusionProof(i, N)) };
  });

const proofInclusion: Bench = {
  // Building a proof from the cached nodes against verifying it: both are ~log2(N) steps,
  // but verifying hashes at every step while building mostly copies cached nodes.
  name: 'ledger.proof.inclusion',
  unit: 'proofs/s',
  batch: 20_000,
  subject(n) {
    const { tree, indexes } = proofFixture();
    for (let i = 0; i < n; i++) tree.inclusionProof(indexes[i & (PROOFS - 1)] as number, N);
    return n;
  },
  baseline(n) {
    const { tree, root, indexes, proofs } = proofFixture();
    for (let i = 0; i < n; i++) {
      const k = i & (PROOFS - 1);
      const index = indexes[k] as number;
      verifyInclusion({ index, size: N, leafHash: tree.leaf(index), proof: proofs[k] as Uint8Array[], root });
    }
    return n;
  },
};

// ---------------------------------------------------------------------------------------
// 4. ledger.memory.1m

/** A full collection, from --expose-gc if given, else by enabling it at run time; undefined if neither works. */
function findGc(): { gc: () => void; how: string } | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return { gc: g, how: '--expose-gc' };
  try {
    setFlagsFromString('--expose-gc');
    const fromVm = runInNewContext('gc') as unknown;
    if (typeof fromVm === 'function') return { gc: fromVm as () => void, how: 'v8.setFlagsFromString(--expose-gc)' };
  } catch {
    // fall through: no way to force a collection
  }
  return undefined;
}

const CHAINS = 1000;
const CHECKPOINT_EVERY = 1000;

const memory1m: MeasuredBench = {
  // A size, not a rate: value and baseline are MiB and ratio = value / baseline, so here
  // LOWER is better (1.0 would be the bare leaf hashes), unlike every other line, where the
  // ratio is a speed relative to the raw operation and higher is better.
  name: 'ledger.memory.1m',
  unit: 'MiB',
  batch: N,
  subject: measuresItself('ledger.memory.1m'),
  baseline: measuresItself('ledger.memory.1m'),
  async measure() {
    held = undefined;
    const collector = findGc();
    const collect = (): void => {
      for (let i = 0; i < 3; i++) collector?.gc();
    };
    const used = (): number => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    if (collector === undefined) note('ledger.memory.1m: no gc available (neither --expose-gc nor v8 flags); figures include garbage');
    collect();
    const before = used();
    // What Ledger.open holds for a 1M-entry store, minus SQLite's own cache: the tree, the
    // chain heads, and the checkpointer's held checkpoints, each with the sorted heads of
    // every chain at its size. Entries go round-robin over CHAINS IMVUs and a checkpoint is
    // signed every CHECKPOINT_EVERY entries, as the ledger's defaults do.
    const platform = ApplianceSigner.fromSeed(seed(9), 'node');
    // Checkpointer.sign only calls store.append (to persist the note); nothing is kept.
    const nullStore = { append: () => undefined } as unknown as LedgerStore;
    let tree: MerkleTree | undefined = new MerkleTree();
    let chains: ChainState | undefined = new ChainState();
    let checkpointer: Checkpointer | undefined = new Checkpointer(nullStore, platform, ORIGIN, []);
    const names = Array.from({ length: CHAINS }, (_, i) => `IMVU-${String(i).padStart(4, '0')}`);
    let peak = 0;
    for (let i = 0; i < N; i++) {
      const leaf = syntheticLeaf(i);
      tree.append(leaf);
      chains.advance(names[i % CHAINS] as string, Math.floor(i / CHAINS), toHex(leaf));
      if ((i + 1) % CHECKPOINT_EVERY === 0) {
        checkpointer.sign(tree, chains.heads());
        peak = Math.max(peak, used() - before);
      }
    }
    collect();
    const total = used() - before;
    const rss = process.memoryUsage().rss;
    if (tree.size !== N || checkpointer.latestSize !== N) throw new Error('ledger.memory.1m: the structure does not hold 1M entries');
    // Take it apart to attribute the total: drop the checkpoints, then the heads, then the tree.
    checkpointer = undefined;
    collect();
    const withoutCheckpoints = used() - before;
    chains = undefined;
    collect();
    const treeOnly = used() - before;
    tree = undefined;
    collect();
    note(
      `ledger.memory.1m (gc: ${collector?.how ?? 'none'}; ${CHAINS} chains, a checkpoint per ${CHECKPOINT_EVERY}): ` +
        `total ${(total / MiB).toFixed(1)} MiB = tree ${(treeOnly / MiB).toFixed(1)} + chain heads ${((withoutCheckpoints - treeOnly) / MiB).toFixed(2)} ` +
        `+ held checkpoints ${((total - withoutCheckpoints) / MiB).toFixed(1)}; peak sampled during build ${(peak / MiB).toFixed(1)} MiB; ` +
        `process RSS ${(rss / MiB).toFixed(0)} MiB, max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );
    return result(memory1m.name, memory1m.unit, total / MiB, (N * 32) / MiB);
  },
};

/** The appliance ledger at scale: durable appends, statements, proofs and memory at 1M entries. */
export const ledgerBenches: Bench[] = [appendDurable, statement1m, proofInclusion, memory1m];
