import { GATE_NAMES, type GateResult } from '@nexus-cos/sdk';

/** Evidence as the decision record carries it: string values only, so it canonicalizes. */
export type Evidence = Record<string, string>;

/** Builders for one gate's results, carrying its exact name from the SDK. */
export interface Verdicts {
  readonly id: number;
  readonly name: GateResult['name'];
  pass(evidence: Evidence): GateResult;
  fail(code: string, evidence: Evidence): GateResult;
}

/** The result builders of gate `id`; throws at load time for an id outside 1..17. */
export function verdicts(id: number): Verdicts {
  const name = GATE_NAMES[id];
  if (name === undefined) throw new RangeError(`no gate ${id}`);
  return {
    id,
    name,
    pass: (evidence) => ({ gate: id, name, result: 'pass', evidence }),
    fail: (code, evidence) => ({ gate: id, name, result: 'fail', code, evidence }),
  };
}

/** Request-supplied text cut to 200 characters, so evidence stays small whatever is sent. */
export function clip(x: unknown, max = 200): string {
  const s = typeof x === 'string' ? x : x === undefined ? '' : safeJson(x);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** A request parameter, or undefined when params or the member is absent. */
export function param(params: Readonly<Record<string, unknown>> | undefined, key: string): unknown {
  return params !== undefined && Object.hasOwn(params, key) ? params[key] : undefined;
}

/** Epoch milliseconds as ISO 8601 for evidence; out-of-range values are shown raw rather than throwing. */
export function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

/** Operator changes and route changes need a stated reason of at least this many characters. */
export const MIN_REASON = 8;

/** `NO_REASON` / `REASON_TOO_SHORT`, or undefined when the trimmed reason is long enough. */
export function reasonProblem(reason: string | undefined): 'NO_REASON' | 'REASON_TOO_SHORT' | undefined {
  const r = (reason ?? '').trim();
  if (r.length === 0) return 'NO_REASON';
  return r.length < MIN_REASON ? 'REASON_TOO_SHORT' : undefined;
}
