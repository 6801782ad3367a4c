import { NexusError } from '@nexus-cos/sdk';

/** One allowed flow. Everything not allowed is dropped. */
export interface Rule {
  readonly proto: 'tcp' | 'udp' | 'icmp';
  /** IPv4 address or prefix the flow goes to (egress) or comes from (ingress). */
  readonly cidr: string;
  /** Destination port; tcp and udp only. */
  readonly port?: number;
}

/**
 * An IMVU network's declared policy. Egress: what its VMs may reach on the host side of
 * their isolated network. Ingress: what may reach its VMs. The digest of its canonical
 * JSON is what gate 13 judges and the notice declares.
 */
export interface NetworkPolicy {
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const CIDR = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}(/([0-9]|[12][0-9]|3[0-2]))?$`);

function rule(x: unknown, field: string): Rule {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new NexusError('INPUT_INVALID', 'a rule is an object', { field });
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['proto', 'cidr', 'port'].includes(k)) throw new NexusError('INPUT_INVALID', `unknown field ${k}`, { field: `${field}/${k}` });
  if (o.proto !== 'tcp' && o.proto !== 'udp' && o.proto !== 'icmp') throw new NexusError('INPUT_INVALID', 'proto is tcp, udp or icmp', { field: `${field}/proto` });
  if (typeof o.cidr !== 'string' || !CIDR.test(o.cidr)) throw new NexusError('INPUT_INVALID', 'cidr is an IPv4 address or prefix', { field: `${field}/cidr` });
  if (!aligned(o.cidr)) throw new NexusError('INPUT_INVALID', 'a prefix has no host bits set', { field: `${field}/cidr` });
  if (o.port === undefined) return o.proto === 'icmp' ? { proto: o.proto, cidr: o.cidr } : refuseMissingPort(field);
  if (o.proto === 'icmp') throw new NexusError('INPUT_INVALID', 'icmp has no port', { field: `${field}/port` });
  if (typeof o.port !== 'number' || !Number.isInteger(o.port) || o.port < 1 || o.port > 65535) {
    throw new NexusError('INPUT_INVALID', 'port is 1-65535', { field: `${field}/port` });
  }
  return { proto: o.proto, cidr: o.cidr, port: o.port };
}

// 10.0.0.5/24 would be stored by the kernel as 10.0.0.0/24 and read back as drift.
function aligned(cidr: string): boolean {
  const [ip, len] = cidr.split('/');
  if (len === undefined) return true;
  const n = (ip as string).split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const hostBits = 32 - Number(len);
  return n % 2 ** hostBits === 0;
}

function refuseMissingPort(field: string): never {
  throw new NexusError('INPUT_INVALID', 'tcp and udp rules name a port', { field: `${field}/port` });
}

function rules(x: unknown, field: string): Rule[] {
  if (!Array.isArray(x) || x.length > 64) throw new NexusError('INPUT_INVALID', 'a list of at most 64 rules', { field });
  return x.map((r, i) => rule(r, `${field}/${i}`));
}

/** Checks a declared policy without changing it; each refusal names the field. */
export function parsePolicy(x: unknown): NetworkPolicy {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new NexusError('INPUT_INVALID', 'a policy is an object', { field: '/policy' });
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'ingress' && k !== 'egress') throw new NexusError('INPUT_INVALID', `unknown field ${k}`, { field: `/policy/${k}` });
  return { ingress: rules(o.ingress, '/policy/ingress'), egress: rules(o.egress, '/policy/egress') };
}
