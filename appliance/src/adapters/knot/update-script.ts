import { NexusError } from '@nexus-cos/sdk';
import { fqdn, type ChangePlan } from '../../domain/dns/index.js';

/** Where the UPDATE goes. */
export interface UpdateTarget {
  readonly host: string;
  readonly port: number;
}

// One DNS message holds at most 65 535 octets over TCP. Every name and rdata is bounded by
// the grammar, so this over-estimate (wire owner + fixed RR header + rdata text) keeps a
// change inside one message, which is what makes it atomic (RFC 2136 §3.4).
const MAX_MESSAGE = 60_000;
const RR_OVERHEAD = 12;

/**
 * The knsupdate script for one planned change: a single RFC 2136 UPDATE, guarded by the
 * SOA the plan was made against (`prereq yxrrset` with its full rdata). If anything
 * changed the zone since it was read (a knotc edit, a re-sign), knotd answers NXRRSET and
 * applies nothing. Every name and rdata is canonical output of domain/dns, so none holds
 * a newline or a token knsupdate would read as a command.
 */
export function updateScript(zone: string, soa: string, plan: ChangePlan, to: UpdateTarget): string {
  let size = 0;
  const lines = [`server ${to.host} ${to.port}`, `zone ${fqdn(zone)}`, `origin ${fqdn(zone)}`, `prereq yxrrset ${fqdn(zone)} SOA ${soa}`];
  const apexNs = (r: { name: string; type: string }): boolean => r.type === 'NS' && r.name === zone;
  for (const u of plan.unset.filter((r) => !apexNs(r))) {
    size += u.name.length + RR_OVERHEAD;
    lines.push(`update delete ${fqdn(u.name)} ${u.type}`);
  }
  for (const s of plan.set) {
    size += s.name.length + s.rdata.length + RR_OVERHEAD;
    lines.push(`update add ${fqdn(s.name)} ${s.ttl} ${s.type} ${s.rdata}`);
  }
  // A server ignores a delete of the apex NS RRset (RFC 2136 §3.4.2.4), which would leave
  // the old name servers served beside the new ones. So the old apex NS records go one by
  // one, after the new ones are in, so the apex never lacks an NS RRset along the way.
  const kept = new Set(plan.set.filter(apexNs).map((s) => s.rdata));
  for (const u of plan.unset.filter(apexNs)) {
    if (u.records === undefined) throw new NexusError('DNS_BACKEND_FAILED', 'the apex NS records to replace are unknown', { field: '/rrsets' });
    for (const rdata of u.records.filter((r) => !kept.has(r))) {
      size += zone.length + rdata.length + RR_OVERHEAD;
      lines.push(`update delete ${fqdn(zone)} NS ${rdata}`);
    }
  }
  if (size > MAX_MESSAGE) {
    throw new NexusError('DNS_RECORD_INVALID', `the change does not fit one atomic DNS UPDATE (about ${size} octets; at most ${MAX_MESSAGE}); split it`, { field: '/rrsets' });
  }
  lines.push('send', '');
  return lines.join('\n');
}
