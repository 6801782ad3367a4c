/** One benchmark: a subject and the raw baseline it is compared with, both in ops/second. */
export interface Bench {
  readonly name: string;
  readonly unit: string;
  /** Runs the subject `n` times (or over `n` items); returns the number of ops done. */
  subject(n: number): number;
  baseline(n: number): number;
  /** Ops per timed batch; big enough to dwarf timer overhead. */
  readonly batch: number;
  /** Timed rounds per side (default 5); alternated so drift hits both sides alike. */
  readonly rounds?: number;
}

/** A JSON line of `npm run bench`: the subject's rate, the baseline's, and their ratio. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

function rate(fn: (n: number) => number, batch: number): number {
  const start = process.hrtime.bigint();
  const ops = fn(batch);
  const ns = Number(process.hrtime.bigint() - start);
  return (ops * 1e9) / ns;
}

/** Warms both sides up, then alternates timed rounds and keeps each side's best rate. */
export function runBench(b: Bench): BenchResult {
  b.subject(Math.max(1, Math.floor(b.batch / 10)));
  b.baseline(Math.max(1, Math.floor(b.batch / 10)));
  let best = 0;
  let base = 0;
  for (let i = 0; i < (b.rounds ?? 5); i++) {
    base = Math.max(base, rate(b.baseline, b.batch));
    best = Math.max(best, rate(b.subject, b.batch));
  }
  return { name: b.name, value: round(best), unit: b.unit, baseline: round(base), ratio: Math.round((best / base) * 1000) / 1000 };
}

const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);
