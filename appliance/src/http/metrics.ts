/** Upper bounds of the latency histogram, in seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram { counts: number[]; sum: number; count: number }

const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Prometheus text-format metrics (exposition format 0.0.4), kept in process. Routes are
 * labelled by their pattern (`/v1/imvus/:id`), never the raw URL, so label sets stay bounded.
 */
export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  readonly #denials = new Map<string, number>();

  /** One answered request. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method}\u0000${route}\u0000${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const h = this.#latency.get(route) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i] = (h.counts[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count += 1;
    this.#latency.set(route, h);
  }

  /** One refusal by a gate (`1`..`17`) or by the policy (`policy`). */
  denied(gate: string): void {
    this.#denials.set(gate, (this.#denials.get(gate) ?? 0) + 1);
  }

  /** The exposition text; `ledgerSize` is read at scrape time. */
  render(ledgerSize: number): string {
    const out: string[] = [];
    out.push('# HELP nexus_http_requests_total HTTP requests answered, by method, route and status.', '# TYPE nexus_http_requests_total counter');
    for (const [key, n] of this.#requests) {
      const [method = '', route = '', status = ''] = key.split('\u0000');
      out.push(`nexus_http_requests_total{method="${label(method)}",route="${label(route)}",status="${status}"} ${n}`);
    }
    out.push('# HELP nexus_http_request_duration_seconds Time to answer, by route.', '# TYPE nexus_http_request_duration_seconds histogram');
    for (const [route, h] of this.#latency) {
      const r = label(route);
      BUCKETS.forEach((b, i) => out.push(`nexus_http_request_duration_seconds_bucket{route="${r}",le="${b}"} ${h.counts[i] ?? 0}`));
      out.push(`nexus_http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`);
      out.push(`nexus_http_request_duration_seconds_sum{route="${r}"} ${h.sum}`, `nexus_http_request_duration_seconds_count{route="${r}"} ${h.count}`);
    }
    out.push('# HELP nexus_ledger_entries Entries in the ledger.', '# TYPE nexus_ledger_entries gauge', `nexus_ledger_entries ${ledgerSize}`);
    out.push('# HELP nexus_gate_denials_total Requests refused, by the first gate that failed (or the policy).', '# TYPE nexus_gate_denials_total counter');
    for (const [gate, n] of this.#denials) out.push(`nexus_gate_denials_total{gate="${label(gate)}"} ${n}`);
    return `${out.join('\n')}\n`;
  }
}
