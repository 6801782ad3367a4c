import { fail } from '../errors/index.js';
import { utf8 } from './utf8.js';

/**
 * RFC 8785 (JCS) canonical JSON, restricted to the I-JSON subset this project signs:
 * numbers must be safe integers (amounts and anything above 2^53 travel as strings),
 * strings must be well-formed Unicode, and only plain objects, arrays, strings,
 * integers, booleans and null are allowed. Anything else is refused, never coerced,
 * so that two implementations can never disagree on the bytes.
 *
 * Within that subset the output is exactly RFC 8785: members sorted by UTF-16 code
 * units, no whitespace, and ECMAScript string escaping.
 */
export function canonicalize(value: unknown): string {
  return write(value, []);
}

/** The canonical JSON bytes (UTF-8) of a value. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalize(value));
}

// The path is kept as a stack of segments and joined only when a value is refused: building
// a JSON pointer for every member was a large share of canonicalizing on the ledger's hot path.
type Path = (string | number)[];

function refuse(message: string, path: Path): never {
  const pointer = path.map((p) => `/${typeof p === 'number' ? p : escapePointer(p)}`).join('');
  throw fail('CANONICAL_JSON_UNSUPPORTED', message, pointer || '/');
}

function write(value: unknown, path: Path): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      if (!value.isWellFormed()) refuse('lone surrogate in string', path);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) refuse('numbers must be safe integers; send others as strings', path);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object':
      return Array.isArray(value) ? writeArray(value, path) : writeObject(value as object, path);
    default:
      return refuse(`type ${typeof value} has no JSON form`, path);
  }
}

function writeArray(items: unknown[], path: Path): string {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    path.push(i);
    parts.push(write(items[i], path));
    path.pop();
  }
  return `[${parts.join(',')}]`;
}

function writeObject(obj: object, path: Path): string {
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) refuse('only plain objects have a canonical form', path);
  // Default sort compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
  const keys = Object.keys(obj).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const v = (obj as Record<string, unknown>)[k];
    path.push(k);
    if (v === undefined) refuse('undefined member', path);
    if (!k.isWellFormed()) refuse('lone surrogate in key', path);
    parts.push(`${JSON.stringify(k)}:${write(v, path)}`);
    path.pop();
  }
  return `{${parts.join(',')}}`;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
