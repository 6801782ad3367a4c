import { NexusError } from '@nexus-cos/sdk';
import { imvuNumber, imvuSlug } from '../compute/names.js';

/** The host-side names and addresses of an IMVU's one isolated network, derived from its id. */
export interface NetworkNames {
  /** libvirt network name. */
  readonly network: string;
  /** Linux bridge (at most 15 characters). */
  readonly bridge: string;
  /** nftables table. */
  readonly table: string;
  /** The host's address on the bridge, /24. */
  readonly hostIp: string;
  /** The subnet's first guest address (guests number up from it). */
  readonly firstGuestIp: string;
}

/**
 * Names for IMVU `imvu`'s network. Subnets are 10.<hi>.<lo>.0/24 from the IMVU's number
 * offset into 10.200.0.0/13, away from libvirt's default 192.168.122.0/24.
 */
export function networkNames(imvu: string): NetworkNames {
  const n = imvuNumber(imvu);
  const slug = imvuSlug(imvu);
  const hi = 200 + Math.floor(n / 256);
  if (hi > 255) throw new NexusError('INPUT_INVALID', 'IMVU number beyond the network address plan', { field: '/imvu' });
  const lo = n % 256;
  return {
    network: `nx-${slug}`,
    bridge: `nxbr${n}`,
    table: `nexus_${slug.replace('-', '_')}`,
    hostIp: `10.${hi}.${lo}.1`,
    firstGuestIp: `10.${hi}.${lo}.10`,
  };
}
