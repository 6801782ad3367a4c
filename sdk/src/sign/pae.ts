import { concatBytes, utf8 } from '../encoding/utf8.js';

/**
 * DSSE v1 Pre-Authentication Encoding: the exact bytes that are signed.
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN is
 * the ASCII decimal byte length. Binding the type into the signed bytes stops a
 * signature made for one payload type from being replayed as another.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  return concatBytes(utf8(`DSSEv1 ${type.length} `), type, utf8(` ${payload.length} `), payload);
}
