import { NexusError } from '@nexus-cos/sdk';

/** An IMVU id as the registry issues them: IMVU-001, IMVU-042, IMVU-1234. */
const IMVU_ID = /^IMVU-([0-9]{3,6})$/;
/** A VM's short name inside its IMVU: what the owner chooses. */
const SHORT = /^[a-z][a-z0-9]{0,15}$/;
/** The only names that ever reach virsh, a path or an nft table: `imvu-042-web1`. */
const HOST_NAME = /^imvu-[0-9]{3,6}-[a-z][a-z0-9]{0,15}$/;

/** The lower-case slug of an IMVU id (`IMVU-042` → `imvu-042`); throws on anything else. */
export function imvuSlug(imvu: string): string {
  const m = IMVU_ID.exec(imvu);
  if (m === null) throw new NexusError('INPUT_INVALID', 'not an IMVU id', { field: '/imvu' });
  return `imvu-${m[1]}`;
}

/** The digits of an IMVU id, used to number its bridge and subnet. */
export function imvuNumber(imvu: string): number {
  return Number(imvuSlug(imvu).slice(5));
}

/** Throws INPUT_INVALID naming `field` unless `name` is a short VM name. */
export function assertShortName(name: unknown, field = '/name'): asserts name is string {
  if (typeof name !== 'string' || !SHORT.test(name)) {
    throw new NexusError('INPUT_INVALID', 'a VM name is 1-16 of a-z, 0-9, starting with a letter', { field });
  }
}

/** The host-side (libvirt) name of VM `name` of `imvu`, checked against the strict grammar. */
export function hostName(imvu: string, name: string): string {
  assertShortName(name);
  const full = `${imvuSlug(imvu)}-${name}`;
  assertHostName(full);
  return full;
}

/** Throws unless `name` matches the grammar every name handed to libvirt must match. */
export function assertHostName(name: string): void {
  if (!HOST_NAME.test(name)) throw new NexusError('INPUT_INVALID', 'not a valid host-side VM name', { field: '/name' });
}

/** The gate resource name of a VM: `vm:IMVU-042/web1`. */
export function vmResource(imvu: string, name: string): string {
  return `vm:${imvu}/${name}`;
}
