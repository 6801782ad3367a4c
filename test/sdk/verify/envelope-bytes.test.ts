// The byte-level reader of stored ledger entries (readCanonicalEnvelope) against the general
// path it stands in front of: decode, check the Envelope schema, compare with the canonical
// text. Whatever the reader accepts, the general path accepts with an equal value; and it
// does accept the plain form every ledger entry takes, so the fast path is really taken.
import fc from 'fast-check';
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { LEDGER_ENTRY_MEDIA_TYPE, canonicalize, encodeEntry, fromBase64, signJsonSync, toBase64 } from '@nexus-cos/sdk';
import { Envelope } from '../../../sdk/src/schemas/envelope.js';
import { readCanonicalEnvelope } from '../../../sdk/src/verify/envelope-bytes.js';
import { platform, usage } from '../../helpers/ledger.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
/** The general path's verdict: the envelope the bytes are the canonical text of, or undefined. */
function general(bytes: Uint8Array): unknown {
  try {
    const text = decoder.decode(bytes);
    const value: unknown = JSON.parse(text);
    return Value.Check(Envelope, value) && canonicalize(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const plain = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 0, maxLength: 300 });
// Mostly the plain form (so the reader accepts often), with every way out of it mixed in.
const name = fc.oneof(
  { arbitrary: plain, weight: 12 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom('', 'a"b', 'a\\b', 'x'.repeat(256), 'x'.repeat(257), '\u007f', 'é'), weight: 1 },
);
const b64 = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 80 }).map((b) => toBase64(b)), weight: 12 },
  { arbitrary: fc.constantFrom('', 'A', 'AB', 'AB=', 'AB==', 'ABC=', 'ABD=', 'A===', '====', 'AB==AB==', 'A-_A', 'AB C', 'AAAA\n', 'QQ'), weight: 1 },
);
const envelope = fc.record({ payload: b64, payloadType: name, signatures: fc.oneof({ arbitrary: fc.array(fc.record({ keyid: name, sig: b64 }), { minLength: 1, maxLength: 3 }), weight: 6 }, { arbitrary: fc.array(fc.record({ keyid: name, sig: b64 }), { minLength: 0, maxLength: 17 }), weight: 1 }) });

t.test('whatever the reader accepts, the general path accepts with an equal value (property)', async (t) => {
  let accepted = 0;
  let runs = 0;
  fc.assert(fc.property(envelope, (e) => {
    runs++;
    let text: string;
    try {
      text = canonicalize(e);
    } catch {
      return true; // no canonical text (a lone surrogate): nothing to read
    }
    const bytes = enc(text);
    const fast = readCanonicalEnvelope(bytes);
    if (fast === undefined) return true;
    accepted++;
    const slow = general(bytes);
    return slow !== undefined && JSON.stringify(slow) === JSON.stringify(fast);
  }), { numRuns: 3000 });
  t.equal(runs, 3000, '3000 envelopes');
  t.ok(accepted > 500, `the reader accepted ${accepted} of them, so the comparison is not vacuous`);
});

t.test('on any change to a real entry\'s bytes, the reader never accepts what the general path refuses (property)', async (t) => {
  const value = { v: 1, kind: 'usage', seq: '0', prev: '0'.repeat(64), ...usage('IMVU-042', 1), quantity: '1' };
  const signed = signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform, platform]);
  const bytes = encodeEntry(signed);
  t.same(readCanonicalEnvelope(bytes), signed, 'the entry as stored is read whole, both signatures included');
  t.same(readCanonicalEnvelope(encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform]))), general(encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform]))), 'a one-signature entry too');
  const edit = fc.oneof(
    fc.record({ at: fc.nat(bytes.length - 1), byte: fc.integer({ min: 0, max: 255 }) }).map(({ at, byte }) => { const b = Uint8Array.from(bytes); b[at] = byte; return b; }),
    fc.nat(bytes.length).map((n) => bytes.subarray(0, n)),
    fc.record({ at: fc.nat(bytes.length), byte: fc.integer({ min: 0, max: 255 }) }).map(({ at, byte }) => Uint8Array.from([...bytes.subarray(0, at), byte, ...bytes.subarray(at)])),
    fc.nat(bytes.length - 1).map((at) => Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)])),
  );
  let changed = 0;
  fc.assert(fc.property(edit, (b) => {
    const fast = readCanonicalEnvelope(b);
    if (fast === undefined) return true;
    changed++;
    const slow = general(b);
    return slow !== undefined && JSON.stringify(slow) === JSON.stringify(fast);
  }), { numRuns: 4000 });
  t.pass(`4000 edits; ${changed} still read (each equal to the general path's value)`);
});

t.test('each way out of the plain form is left to the general path', async (t) => {
  const e = { payload: 'AAAA', payloadType: 'a/b', signatures: [{ keyid: 'k', sig: 'AA==' }] };
  const text = canonicalize(e);
  t.same(readCanonicalEnvelope(enc(text)), e, 'the plain form is read');
  const cases: [string, string][] = [
    ['an escape in a name', text.replace('a/b', 'a\\/b')],
    ['a non-ASCII name', text.replace('a/b', 'é')],
    ['an empty name', text.replace('"k"', '""')],
    ['base64 with a space', text.replace('AAAA', 'AA A')],
    ['base64 without padding', text.replace('AA==', 'AA')],
    ['base64 with non-zero trailing bits', text.replace('AA==', 'AB==')],
    ['seventeen signatures', canonicalize({ ...e, signatures: Array.from({ length: 17 }, () => e.signatures[0]) })],
    ['no signatures', canonicalize({ ...e, signatures: [] })],
    ['a trailing byte', `${text} `],
    ['whitespace inside', text.replace(',"payloadType"', ', "payloadType"')],
  ];
  for (const [what, s] of cases) t.equal(readCanonicalEnvelope(enc(s)), undefined, what);
});

t.test('fromBase64 without its regex refuses exactly what it refused with it (property)', async (t) => {
  const old = (s: string): string => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return 'ENCODING_INVALID';
    const out = Buffer.from(s, 'base64');
    return out.toString('base64') === s ? `ok ${out.toString('hex')}` : 'ENCODING_INVALID';
  };
  const now = (s: string): string => {
    try {
      return `ok ${Buffer.from(fromBase64(s)).toString('hex')}`;
    } catch (e) {
      return (e as { code: string }).code;
    }
  };
  const text = fc.oneof(
    fc.uint8Array({ maxLength: 40 }).map((b) => toBase64(b)),
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\t.é\u0000'), maxLength: 24 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
  let valid = 0;
  fc.assert(fc.property(text, (s) => {
    if (old(s) !== 'ENCODING_INVALID') valid++;
    return now(s) === old(s);
  }), { numRuns: 20000 });
  t.ok(valid > 1000, `20000 strings, ${valid} of them valid, decoded or refused as before`);
});
