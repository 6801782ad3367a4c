/**
 * JSON pointer of the first member where `a` (actual) departs from `b` (expected), walking
 * object keys in `b`'s order (a statement's is its schema order, so lines are reported
 * before the totals they cause), then keys only `a` has; undefined when equal.
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(a[i], b[i], `${path}/${i}`);
      if (d !== undefined) return d;
    }
    return a.length === b.length ? undefined : `${path}/${n}`;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
    for (const k of keys) {
      const sub = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!Object.hasOwn(a, k) || !Object.hasOwn(b, k)) return sub;
      const d = firstDifference(a[k], b[k], sub);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : path || '/';
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
