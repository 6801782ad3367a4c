import { fail } from '../errors/index.js';

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decodes lower-case hex only, so each byte string has one text form. */
export function fromHex(text: string, field = ''): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) {
    throw fail('ENCODING_INVALID', 'not lower-case hex', field);
  }
  const out = Buffer.from(text, 'hex');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
