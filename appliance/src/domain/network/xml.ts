import { esc } from '../compute/xml.js';
import type { NetworkNames } from './names.js';

/**
 * An isolated libvirt network (no <forward>): guests reach each other and the host's
 * address on the bridge, nothing beyond. No DHCP and no DNS (so no dnsmasq listening on
 * the bridge): guests are given static addresses, and the host's only open doors are the
 * declared rules.
 */
export function networkXml(n: NetworkNames): string {
  return [
    '<network>',
    `<name>${esc(n.network)}</name>`,
    '<dns enable="no"/>',
    `<bridge name="${esc(n.bridge)}" stp="off"/>`,
    `<ip address="${esc(n.hostIp)}" netmask="255.255.255.0"/>`,
    '</network>',
  ].join('\n');
}
