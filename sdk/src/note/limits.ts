/** Largest note accepted, in UTF-8 bytes (1 MiB); bounds parsing work on hostile input. */
export const MAX_NOTE_BYTES = 1024 * 1024;

/** Most signature lines accepted in one note (C2SP requires at least 16; Go allows 100). */
export const MAX_NOTE_SIGNATURES = 100;

/** Signature type byte of Ed25519 in C2SP signed-note key ids and verifier keys. */
export const ED25519_SIG_TYPE = 0x01;

// C2SP signed-note: no ASCII control characters other than newline, anywhere.
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/** True when `text` has an ASCII control character other than newline. */
export function hasControlChar(text: string): boolean {
  return CONTROL.test(text);
}

// Go's unicode.IsSpace is exactly the Unicode White_Space property.
const NAME_FORBIDDEN = /[\p{White_Space}+]/u;

/**
 * A key name per C2SP signed-note: non-empty, well-formed, no Unicode space and no `+`
 * (which separates the fields of a verifier key). Control characters are refused too,
 * since a name must fit on a note's signature line.
 */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.isWellFormed() && !NAME_FORBIDDEN.test(name) && !hasControlChar(name);
}
