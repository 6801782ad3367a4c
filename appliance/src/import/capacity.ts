import { vmResource } from '../domain/compute/names.js';
import { usage } from '../domain/compute/quota.js';
import type { OpenedBundle } from './bundle.js';

/**
 * What gates 4 and 12 judge of an import (spec/exit-bundle.md §8): every billable resource it
 * creates (each needs its meter, gate 4), and its VMs' count and summed sizes against the
 * quota the record carries (gate 12), the same limits `vm.create` enforces one VM at a time.
 */
export function capacityParams(imvu: string, b: Pick<OpenedBundle, 'zones' | 'mail' | 'vms' | 'record'>): Record<string, unknown> {
  const billable = [
    ...b.zones.map((z) => `domain:${z.zone}`),
    ...b.mail.mailboxes.map((m) => `mailbox:${imvu}/${m.address}`),
    ...vmResources(imvu, b),
  ];
  return { billable, compute: usage(b.vms.map((v) => v.spec)), quota: { ...b.record.row.quotas } };
}

/** The resource name of each VM the bundle brings, as its meter is keyed. */
export function vmResources(imvu: string, b: Pick<OpenedBundle, 'vms'>): string[] {
  return b.vms.map((v) => vmResource(imvu, v.spec.name));
}
