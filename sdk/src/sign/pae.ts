import { utf8 } from '../encoding/utf8.js';

const encoder = new TextEncoder();

/**
 * DSSE v1 Pre-Authentication Encoding: the exact bytes that are signed.
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN is
 * the ASCII decimal byte length. Binding the type into the signed bytes stops a
 * signature made for one payload type from being replayed as another.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  // Built in one buffer: a verifier makes one per ledger entry.
  const head = `DSSEv1 ${type.length} `;
  const mid = ` ${payload.length} `;
  const out = new Uint8Array(head.length + type.length + mid.length + payload.length);
  let at = encoder.encodeInto(head, out).written;
  out.set(type, at);
  at += type.length;
  at += encoder.encodeInto(mid, out.subarray(at)).written;
  out.set(payload, at);
  return out;
}
