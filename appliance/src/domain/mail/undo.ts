import type { RRset, RRsetChange } from '../dns/types.js';

/**
 * The change that puts back `before` over what `published` replaced: each published RRset
 * returns to its earlier content, or is deleted when there was none. Pure.
 */
export function undoChange(before: readonly RRset[], published: readonly RRset[]): RRsetChange[] {
  return published.map((p) => before.find((b) => b.name === p.name && b.type === p.type) ?? { name: p.name, type: p.type, delete: true as const });
}
