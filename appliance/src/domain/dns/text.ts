import { invalid } from './errors.js';

/**
 * DNS character-strings (RFC 1035 §5.1) in the one quoted form we emit. Input must be quoted
 * strings separated by single spaces; escapes are `\"`, `\\` and `\DDD`. Output escapes
 * everything outside printable ASCII, and also `;` `(` `)`, so that knotc's zone-file parser
 * can never read a comment, a continuation or a second record out of it.
 */

/** The longest character-string: its length is one octet. */
export const MAX_STRING_OCTETS = 255;

const SAFE = (b: number): boolean => b >= 0x20 && b <= 0x7e && b !== 0x22 && b !== 0x5c && b !== 0x3b && b !== 0x28 && b !== 0x29;

/** Renders bytes as one quoted character-string. */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (SAFE(b)) out += String.fromCharCode(b);
    else if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else out += `\\${b.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Parses `"..." "..."` into the strings' bytes; raises DNS_RECORD_INVALID naming `field`. */
export function parseQuotedStrings(input: string, field: string, maxStrings = Infinity): Uint8Array[] {
  const bad = (why: string) => invalid(`character-string: ${why}`, field);
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < input.length) {
    if (out.length > 0) {
      if (input[i] !== ' ') throw bad('strings are separated by one space');
      i++;
    }
    if (input[i] !== '"') throw bad('each string is enclosed in double quotes');
    i++;
    const bytes: number[] = [];
    for (;;) {
      if (i >= input.length) throw bad('unterminated string');
      const c = input.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20 || c > 0x7e) throw bad('raw control or non-ASCII characters must be written as \\DDD');
      if (c === 0x5c) {
        const next = input.slice(i + 1, i + 4);
        if (/^[0-9]{3}$/.test(next)) {
          const v = Number(next);
          if (v > 255) throw bad('\\DDD escapes stop at 255');
          bytes.push(v);
          i += 4;
        } else if (next.startsWith('"') || next.startsWith('\\')) {
          bytes.push(next.charCodeAt(0));
          i += 2;
        } else throw bad('only \\", \\\\ and \\DDD escapes are accepted');
        continue;
      }
      bytes.push(c);
      i++;
    }
    i++;
    if (bytes.length > MAX_STRING_OCTETS) throw bad(`a string is at most ${MAX_STRING_OCTETS} octets`);
    out.push(Uint8Array.from(bytes));
  }
  if (out.length === 0) throw bad('at least one string');
  if (out.length > maxStrings) throw bad(`at most ${maxStrings} string(s)`);
  return out;
}

/** A plain text value (UTF-8) as TXT rdata, split into 255-octet strings (DKIM keys, tokens). */
export function txtFromText(value: string): string {
  const bytes = new TextEncoder().encode(value);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length || parts.length === 0; i += MAX_STRING_OCTETS) parts.push(quoteBytes(bytes.subarray(i, i + MAX_STRING_OCTETS)));
  return parts.join(' ');
}
