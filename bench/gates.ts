import { fileURLToPath } from 'node:url';
import { CedarAuthorizer } from '../appliance/src/adapters/cedar/cedar-authorizer.js';
import { authzRequest, decide, runGates } from '../appliance/src/domain/gates/evaluate.js';
import { GATES } from '../appliance/src/domain/gates/rules/index.js';
import type { GateFacts, GateRequest } from '../appliance/src/domain/gates/types.js';
import type { AuthzRequest } from '../appliance/src/ports/authorizer.js';
import type { Bench, BenchResult } from './harness.js';

// Latency of one decision, as percentiles: the harness reports best-of-rounds rates, which
// hide the tail, and the tail is what a request waits for. Each figure is compared with a
// raw baseline timed the same way in the same run (per call, with the same timer), so the
// timer's own cost is on both sides. The baseline is `JSON.stringify` of the object the
// subject works on: Cedar's wasm-bindgen glue hands its call across the WASM boundary as
// JSON, so stringifying that call is the floor of any authorize, on any machine.

/** A bench that measures itself (bench/run.ts awaits `measure()`); its sync sides throw. */
interface MeasuredBench extends Bench {
  measure(): Promise<BenchResult>;
}

const WARMUP = 3_000; // enough for V8 to tier the Cedar WASM up from Liftoff to TurboFan
const SAMPLES = 10_000;
const BLOCK = 100; // subject and baseline alternate in blocks, so drift hits both alike

interface Samples {
  readonly subject: Float64Array;
  readonly baseline: Float64Array;
}

function sample(subject: () => unknown, baseline: () => unknown): Samples {
  for (let i = 0; i < WARMUP; i++) {
    subject();
    baseline();
  }
  const s = new Float64Array(SAMPLES);
  const b = new Float64Array(SAMPLES);
  for (let start = 0; start < SAMPLES; start += BLOCK) {
    for (const [fn, out] of [[subject, s], [baseline, b]] as const) {
      for (let i = start; i < start + BLOCK; i++) {
        const t0 = process.hrtime.bigint();
        fn();
        out[i] = Number(process.hrtime.bigint() - t0) / 1000;
      }
    }
  }
  return { subject: s.sort(), baseline: b.sort() };
}

const at = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const round = (x: number): number => Math.round(x * 10) / 10;

/** Two benches, `<name>.p50` and `<name>.p99` in µs, sharing one sampling run. */
export function percentiles(name: string, setup: () => { subject: () => unknown; baseline: () => unknown }): MeasuredBench[] {
  let run: Samples | undefined;
  const bench = (label: string, p: number): MeasuredBench => ({
    name: `${name}.${label}`, unit: 'us', batch: 1,
    subject: () => { throw new Error(`${name}: measures itself`); },
    baseline: () => { throw new Error(`${name}: measures itself`); },
    async measure(): Promise<BenchResult> {
      if (run === undefined) {
        const { subject, baseline } = setup();
        run = sample(subject, baseline);
      }
      const value = at(run.subject, p);
      const base = at(run.baseline, p);
      return { name: `${name}.${label}`, value: round(value), unit: 'us', baseline: round(base), ratio: Math.round((value / base) * 1000) / 1000 };
    },
  });
  return [bench('p50', 0.5), bench('p99', 0.99)];
}

const POLICIES = fileURLToPath(new URL('../appliance/policies/', import.meta.url));
const NOW = Date.parse('2026-11-26T12:00:00Z');
const OWNER = 'did:key:z6MkownerBenchxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';

/** In-memory facts for IMVU-042 (owner OWNER, DE-BY, meter attached, a DE pool). */
const facts: GateFacts = {
  now: NOW, platform: 'did:key:z6MkplatformBench', operators: ['did:key:z6MkoperatorBench'],
  keyStatus: (d) => (d === OWNER ? 'active' : 'unknown'),
  imvu: (id) => (id === 'IMVU-042' ? {
    id, owner: OWNER, jurisdiction: 'DE-BY', status: 'active', consents: [], verifiedDomains: ['example.org'],
    mailReadyDomains: ['example.org'], mailboxes: [],
  } : undefined),
  delegation: () => [],
  ledgerHealthy: true,
  meterAttached: (r) => r === 'vm:IMVU-042/web-1',
  storageJurisdiction: (p) => (p === 'pool-de' ? 'DE' : undefined),
};

/** vm.create by the owner: nine applicable gates, all of which pass. */
const vmCreate: GateRequest = {
  action: 'vm.create', actor: OWNER, resource: 'vm:IMVU-042/web-1', imvu: 'IMVU-042', storagePool: 'pool-de',
  proof: { signatureValid: true, created: NOW - 1_000, expires: NOW + 59_000, replayed: false },
  params: { vcpus: 2, memoryMiB: 2048, diskGiB: 20, diskFormat: 'qcow2' },
};

function setupCedar(): { subject: () => unknown; baseline: () => unknown } {
  const authorizer = CedarAuthorizer.load(POLICIES);
  const run = runGates(vmCreate, facts, GATES);
  const req: AuthzRequest = authzRequest(vmCreate, run);
  if (authorizer.authorize(req).decision !== 'allow') throw new Error('gates.cedar: the benchmark request must be allowed');
  return { subject: () => authorizer.authorize(req), baseline: () => JSON.stringify(req) };
}

function setupEvaluate(): { subject: () => unknown; baseline: () => unknown } {
  const authorizer = CedarAuthorizer.load(POLICIES);
  // A full decision, unsigned: every gate, the policy, and the decision record.
  const evaluate = () => {
    const run = runGates(vmCreate, facts, GATES);
    return decide(vmCreate, run, authorizer.authorize(authzRequest(vmCreate, run)), authorizer.policyDigest, NOW);
  };
  const decision = evaluate();
  if (decision.decision !== 'allow') throw new Error(`gates.evaluate: the benchmark request must be allowed (${JSON.stringify(decision.results.filter((r) => r.result === 'fail'))})`);
  return { subject: evaluate, baseline: () => JSON.stringify(decision) };
}

/** Cedar authorize alone, and a full gate decision (runGates + authorize + decide). */
export const gateBenches: Bench[] = [...percentiles('gates.cedar', setupCedar), ...percentiles('gates.evaluate', setupEvaluate)];
