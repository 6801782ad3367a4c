import { NexusError } from '@nexus-cos/sdk';
import { assertShortName } from './names.js';

/** What an owner declares for a VM; the rest (paths, bridge, uuid) the appliance derives. */
export interface VmSpec {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** A name in the appliance's image catalog (never a path). */
  readonly image: string;
}

/** The bounds a single VM may have, whatever its IMVU's quota (a sanity range, not a quota). */
export const VM_LIMITS = Object.freeze({
  vcpus: [1, 64],
  memoryMiB: [64, 262_144],
  diskGiB: [1, 4096],
} as const);

const IMAGE = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function count(x: unknown, field: keyof typeof VM_LIMITS): number {
  const [lo, hi] = VM_LIMITS[field];
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < lo || x > hi) {
    throw new NexusError('INPUT_INVALID', `${field} is an integer from ${lo} to ${hi}`, { field: `/${field}` });
  }
  return x;
}

/**
 * Checks a declared spec without changing it (no defaults, no coercion) and returns it
 * typed. Each refusal names the field.
 */
export function parseVmSpec(x: unknown): VmSpec {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new NexusError('INPUT_INVALID', 'a VM spec is an object', { field: '/' });
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['name', 'vcpus', 'memoryMiB', 'diskGiB', 'image'].includes(k)) throw new NexusError('INPUT_INVALID', `unknown field ${k}`, { field: `/${k}` });
  }
  assertShortName(o.name);
  const image = o.image;
  if (typeof image !== 'string' || !IMAGE.test(image) || image.includes('..')) {
    throw new NexusError('INPUT_INVALID', 'image is a catalog name: a-z, 0-9, ".", "_", "-"', { field: '/image' });
  }
  return { name: o.name, vcpus: count(o.vcpus, 'vcpus'), memoryMiB: count(o.memoryMiB, 'memoryMiB'), diskGiB: count(o.diskGiB, 'diskGiB'), image };
}
