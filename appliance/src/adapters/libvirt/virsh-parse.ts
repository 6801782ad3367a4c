import type { InterfaceCounters } from '../../ports/hypervisor.js';

/** The host-side device names (`<target dev='vnet3'/>`) of a live domain's interfaces. */
export function interfaceTargets(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<interface\b[\s\S]*?<\/interface>/g)) {
    const dev = /<target\s+dev=['"]([A-Za-z0-9_.-]{1,15})['"]/.exec(m[0]);
    if (dev?.[1] !== undefined) out.push(dev[1]);
  }
  return out;
}

/** `virsh domifstat` output (`vnet0 rx_bytes 1234` lines) as counters. */
export function parseDomifstat(out: string): InterfaceCounters {
  const get = (k: string): bigint => {
    const m = new RegExp(`\\s${k}\\s+([0-9]+)\\s*$`, 'm').exec(out);
    return m?.[1] === undefined ? 0n : BigInt(m[1]);
  };
  return { rxBytes: get('rx_bytes'), txBytes: get('tx_bytes') };
}
