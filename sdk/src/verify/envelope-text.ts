import { canonicalize } from '../encoding/canonical-json.js';
import type { Envelope } from '../schemas/envelope.js';

const str = JSON.stringify;

/**
 * The canonical JSON text (RFC 8785) of an envelope that passed the Envelope schema, built
 * without the general encoder: the schema fixes the members (no others, none missing), so
 * their sorted order is fixed too (payload < payloadType < signatures; keyid < sig), and
 * canonical JSON writes a string as JSON.stringify does. Equal to canonicalize(envelope)
 * on every schema-valid envelope (a property test proves it); a string with a lone
 * surrogate, which has no canonical form, goes to canonicalize for its coded refusal.
 */
export function canonicalEnvelopeText(e: Envelope): string {
  let sigs = '';
  for (const s of e.signatures) {
    if (!s.keyid.isWellFormed()) return canonicalize(e);
    sigs += `${sigs === '' ? '' : ','}{"keyid":${str(s.keyid)},"sig":${str(s.sig)}}`;
  }
  if (!e.payloadType.isWellFormed()) return canonicalize(e);
  return `{"payload":${str(e.payload)},"payloadType":${str(e.payloadType)},"signatures":[${sigs}]}`;
}
