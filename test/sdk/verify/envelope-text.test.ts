// The canonical-envelope fast path of openEntry: the text it builds is exactly what the
// general encoder writes, and an entry whose bytes are not that text is refused as before.
import fc from 'fast-check';
import t from 'tap';
import {
  LEDGER_ENTRY_MEDIA_TYPE, TrustedKeys, canonicalBytes, canonicalize, encodeEntry, fromUtf8, openEntry, signJsonSync, toBase64, utf8,
} from '@nexus-cos/sdk';
import { canonicalEnvelopeText } from '../../../sdk/src/verify/envelope-text.js';
import { platform, usage } from '../../helpers/ledger.js';

const outcome = (fn: () => unknown): string => {
  try {
    return `ok ${String(fn())}`;
  } catch (e) {
    return `${(e as { code?: string }).code ?? 'not coded'} ${(e as { field?: string }).field ?? ''}`;
  }
};

t.test('the built text is the canonical text of every schema-shaped envelope (property)', async (t) => {
  // Full Unicode, escapes, quotes, controls and lone surrogates (which have no canonical form).
  const text = fc.oneof(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1 }), fc.constantFrom('\ud800', 'a\udc00b', '"\\/\u0000\u001f\u007f\u2028'));
  const b64 = fc.uint8Array({ maxLength: 80 }).map((b) => toBase64(b));
  const envelope = fc.record({ payload: b64, payloadType: text, signatures: fc.array(fc.record({ keyid: text, sig: b64 }), { minLength: 1, maxLength: 4 }) });
  let checked = 0;
  fc.assert(fc.property(envelope, (e) => {
    checked++;
    return outcome(() => canonicalEnvelopeText(e)) === outcome(() => canonicalize(e));
  }), { numRuns: 2000 });
  t.equal(checked, 2000, 'same text, or the same coded refusal, on 2000 envelopes');
  t.equal(outcome(() => canonicalEnvelopeText({ payload: '', payloadType: '\ud800', signatures: [{ keyid: 'k', sig: '' }] })), 'CANONICAL_JSON_UNSUPPORTED /payloadType', 'a lone surrogate is refused with its field');
});

t.test('openEntry refuses every non-canonical spelling of a valid entry, as the re-encoding check did', async (t) => {
  const trusted = new TrustedKeys([platform.publicKey]);
  const value = { v: 1, kind: 'usage', seq: '0', prev: '0'.repeat(64), ...usage('IMVU-042', 1), quantity: '1' };
  const bytes = encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform]));
  const text = fromUtf8(bytes);
  t.equal(outcome(() => openEntry(bytes, trusted).entry.kind), 'ok usage', 'the canonical entry opens');
  const env = JSON.parse(text) as { payload: string; payloadType: string; signatures: { keyid: string; sig: string }[] };
  const spellings: [string, string][] = [
    ['a space after the first brace', text.replace('{', '{ ')],
    ['a trailing newline', `${text}\n`],
    ['members out of order', JSON.stringify({ payloadType: env.payloadType, payload: env.payload, signatures: env.signatures })],
    ['signature members out of order', text.replace(/\{"keyid":("[^"]*"),"sig":("[^"]*")\}/, '{"sig":$2,"keyid":$1}')],
    ['an escaped slash in the payload type', text.replace('application/', 'application\\/')],
    ['a \\u escape for a plain letter', text.replace('"payloadType":"a', '"payloadType":"\\u0061')],
    ['a duplicate member', text.replace('{"payload":', `{"payload":"AAAA","payload":`)],
  ];
  for (const [what, s] of spellings) {
    t.not(s, text, `${what}: the spelling differs`);
    // The check it replaces: decode, re-encode canonically, compare.
    const before = fromUtf8(canonicalBytes(JSON.parse(s))) !== s ? 'JSON_NOT_CANONICAL ' : 'accepted';
    t.equal(before, 'JSON_NOT_CANONICAL ', `${what}: the re-encoding check refused it`);
    t.equal(outcome(() => openEntry(utf8(s), trusted)), before, `${what}: refused as JSON_NOT_CANONICAL`);
  }
});
