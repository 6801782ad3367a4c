import { NexusError, isNexusError, type DriftReport } from '@nexus-cos/sdk';
import { ZONE_STATE_MEDIA_TYPE, diffStates, normalizeState, stateBytes, stateDigest, type ZoneState } from '../domain/dns/index.js';
import type { Ledger } from '../ledger/ledger.js';
import type { EntryDraft } from '../ledger/types.js';
import type { Dns } from '../ports/dns.js';
import type { BoundDomain, DomainStore } from '../ports/domain-store.js';
import type { StoredDocument } from '../ports/ledger-store.js';
import type { ZoneOptions } from '../domain/dns/index.js';

/** A `dns_change` entry from `before` to `after`, with the after state kept beside it. */
export function dnsItem(imvu: string, actor: string, before: string, after: ZoneState): { draft: EntryDraft; documents: StoredDocument[] } {
  const bytes = stateBytes(after);
  const digest = stateDigest(after);
  return { draft: { kind: 'dns_change', imvu, actor, zone: after.zone, before, after: digest }, documents: [{ digest, mediaType: ZONE_STATE_MEDIA_TYPE, bytes }] };
}

/** Compares what Knot serves for a bound domain with the state the ledger recorded. */
export async function checkServed(dns: Dns, b: BoundDomain): Promise<DriftReport> {
  const expected: ZoneState = { zone: b.domain, rrsets: b.rrsets };
  let served;
  try {
    served = await dns.readZone(b.domain);
  } catch (e) {
    if (isNexusError(e) && e.code === 'DNS_ZONE_UNKNOWN') {
      return { domain: b.domain, status: 'missing', expected: b.digest, served: null, missing: b.rrsets.map((r) => `${r.name} ${r.type}`), unexpected: [], changed: [], foreign: [] };
    }
    throw e;
  }
  const state = normalizeState(b.domain, served.rrsets);
  const digest = stateDigest(state);
  const diff = diffStates(expected, state);
  const ok = digest === b.digest && served.foreign.length === 0;
  return { domain: b.domain, status: ok ? 'ok' : 'drift', expected: b.digest, served: digest, ...diff, missing: [...diff.missing], unexpected: [...diff.unexpected], changed: [...diff.changed], foreign: [...served.foreign] };
}

/** What start-up did for one zone. */
export interface Recovery {
  readonly report: DriftReport;
  /** `rolled-forward`: the ledger had the change, the store caught up; `rolled-back`: Knot had a change the ledger never recorded, undone; `re-served`: the zone was missing from Knot and is served again. */
  readonly action?: 'rolled-forward' | 'rolled-back' | 're-served';
}

/**
 * Start-up consistency for every bound zone. The ledger is the authority:
 * - a pending change whose entry is durable rolls the store forward;
 * - Knot serving a pending change the ledger never recorded (a crash between the two) is
 *   put back to the recorded state;
 * - a zone Knot no longer knows (its configuration was re-imported) is served again with
 *   the recorded state;
 * - anything else that differs is drift: reported, and left for the owner to reconcile,
 *   never adopted.
 */
export async function recoverZones(dns: Dns, store: DomainStore, ledger: Ledger, zone: ZoneOptions): Promise<Recovery[]> {
  const out: Recovery[] = [];
  for (let b of store.all()) {
    const p = store.pending(b.domain);
    let action: Recovery['action'];
    if (p !== undefined && ledger.store.byDedupe(p.dedupe) !== undefined) {
      await store.change((w) => {
        w.setState(b.domain, p.rrsets, p.digest);
        w.clearPending(b.domain);
      }, async () => undefined);
      b = store.domain(b.domain) ?? b;
      action = 'rolled-forward';
    }
    let report = await checkServed(dns, b);
    if (report.status === 'missing') {
      await dns.createZone(b.domain, zone);
      await dns.restore(b.domain, b.rrsets);
      action = 're-served';
    } else if (report.status === 'drift' && p !== undefined && action === undefined && report.served === p.digest && report.foreign.length === 0) {
      await dns.restore(b.domain, b.rrsets);
      action = 'rolled-back';
    }
    if (p !== undefined && action !== 'rolled-forward') await store.change((w) => w.clearPending(b.domain), async () => undefined);
    if (action === 're-served' || action === 'rolled-back') report = await checkServed(dns, b);
    if (report.status === 'missing') throw new NexusError('DNS_BACKEND_FAILED', `${b.domain} could not be served again`, { field: '/domain' });
    out.push(action === undefined ? { report } : { report, action });
  }
  return out;
}
