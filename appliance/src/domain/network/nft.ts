import type { NetworkPolicy, Rule } from './policy.js';

/**
 * The nftables form of a policy: one table per IMVU network, two base chains on the host
 * side of its bridge. Traffic between VMs and the outside is already refused by libvirt's
 * isolated mode, so what remains is the host edge: `egress` (VM → host, hook input) and
 * `ingress` (host → VM, hook output). Each chain lets replies through, then the declared
 * flows, then drops the rest of the bridge's traffic. Rule lines are written exactly as
 * `nft list table` prints them, so reading back is a comparison of lines.
 */
export interface Chains {
  readonly egress: readonly string[];
  readonly ingress: readonly string[];
}

// nft prints a /32 prefix as the bare address.
function addr(cidr: string): string {
  return cidr.endsWith('/32') ? cidr.slice(0, -3) : cidr;
}

function line(iface: string, dir: 'daddr' | 'saddr', r: Rule): string {
  const match = r.proto === 'icmp' ? 'ip protocol icmp' : `${r.proto} dport ${r.port}`;
  return `${iface} ip ${dir} ${addr(r.cidr)} ${match} accept`;
}

/** The rule lines of each chain, in order, for the network on `bridge`. */
export function chains(bridge: string, p: NetworkPolicy): Chains {
  const iif = `iifname "${bridge}"`;
  const oif = `oifname "${bridge}"`;
  return {
    egress: [`${iif} ct state established,related accept`, ...p.egress.map((r) => line(iif, 'daddr', r)), `${iif} drop`],
    ingress: [`${oif} ct state established,related accept`, ...p.ingress.map((r) => line(oif, 'saddr', r)), `${oif} drop`],
  };
}

/** An `nft -f` script that replaces table `table` atomically with the chains. */
export function rulesetScript(table: string, c: Chains): string {
  const chain = (name: string, hook: string, lines: readonly string[]): string[] => [
    `  chain ${name} {`, `    type filter hook ${hook} priority filter; policy accept;`, ...lines.map((l) => `    ${l}`), '  }',
  ];
  // Declaring the table first makes the delete valid when it does not exist yet; the
  // whole script is one transaction, so the rules never go missing in between.
  return [`table inet ${table}`, `delete table inet ${table}`, `table inet ${table} {`, ...chain('egress', 'input', c.egress), ...chain('ingress', 'output', c.ingress), '}', ''].join('\n');
}

/** The rule lines of each chain in an `nft list table` listing (handles and counters stripped). */
export function parseListing(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const raw of text.split('\n')) {
    const l = raw.trim().replace(/\s+# handle \d+$/, '');
    const open = /^chain (\S+) \{$/.exec(l);
    if (open !== null) {
      current = out[open[1] as string] = [];
      continue;
    }
    if (l === '}') current = undefined;
    else if (current !== undefined && l !== '' && !l.startsWith('type ')) current.push(l.replace(/ counter packets \d+ bytes \d+/, ''));
  }
  return out;
}

/** One difference between the declared rules and those the kernel holds. */
export interface Drift {
  readonly chain: string;
  readonly kind: 'missing' | 'unexpected';
  readonly rule: string;
}

/** Differences between the declared chains and a listing, in order; empty when they match. */
export function drift(declared: Chains, listing: Record<string, string[]>): Drift[] {
  const out: Drift[] = [];
  for (const chain of ['egress', 'ingress'] as const) {
    const want = declared[chain];
    const have = listing[chain] ?? [];
    // Order matters (the final drop): compare position by position.
    const n = Math.max(want.length, have.length);
    for (let i = 0; i < n; i++) {
      if (want[i] === have[i]) continue;
      if (want[i] !== undefined) out.push({ chain, kind: 'missing', rule: want[i] as string });
      if (have[i] !== undefined) out.push({ chain, kind: 'unexpected', rule: have[i] as string });
    }
    for (const name of Object.keys(listing)) if (name !== 'egress' && name !== 'ingress') for (const r of listing[name] ?? []) out.push({ chain: name, kind: 'unexpected', rule: r });
  }
  return dedupe(out);
}

function dedupe(d: Drift[]): Drift[] {
  const seen = new Set<string>();
  return d.filter((x) => {
    const k = `${x.chain}\n${x.kind}\n${x.rule}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
