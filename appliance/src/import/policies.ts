import { sha256, toHex } from '@nexus-cos/sdk';

/** How the policies an IMVU lived under compare with this appliance's own. */
export interface PolicyComparison {
  /** Policy files whose bytes are the same here. */
  readonly same: string[];
  /** Policy files that differ here, or exist on only one side: the owner is told, nothing is applied. */
  readonly differ: string[];
}

/**
 * Compares the bundle's `policies/...` members (by digest) with the files this appliance
 * would export (`own`, path to bytes). An import never carries policies over: this
 * appliance's gates and Cedar policies govern it from the import on, and the report shows
 * the owner what changed.
 */
export function comparePolicies(bundle: ReadonlyMap<string, string>, own: ReadonlyMap<string, Uint8Array>): PolicyComparison {
  const same: string[] = [];
  const differ: string[] = [];
  const theirs = [...bundle.keys()].filter((p) => p.startsWith('policies/'));
  for (const p of new Set([...theirs, ...own.keys()])) {
    const mine = own.get(p);
    (mine !== undefined && bundle.get(p) === toHex(sha256(mine)) ? same : differ).push(p);
  }
  return { same: same.sort(), differ: differ.sort() };
}
