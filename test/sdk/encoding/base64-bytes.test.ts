// The byte-level base64 decoder of the verifier's hot paths against fromBase64, the strict
// string decoder it stands in for: the same texts accepted, to the same bytes.
import fc from 'fast-check';
import t from 'tap';
import { fromBase64, toBase64 } from '@nexus-cos/sdk';
import { base64DecodedLength, decodeBase64Into } from '../../../sdk/src/encoding/base64-bytes.js';

const viaBytes = (s: string): string => {
  // Placed at an offset inside a larger buffer, as the texts lie in an entry's bytes.
  const b = Buffer.concat([Buffer.from('xx"', 'latin1'), Buffer.from(s, 'latin1'), Buffer.from('"yy', 'latin1')]);
  const n = base64DecodedLength(b, 3, 3 + s.length);
  if (n < 0) return 'refused';
  const out = new Uint8Array(n + 2).fill(0xee);
  if (!decodeBase64Into(b, 3, 3 + s.length, out, 1)) return 'refused';
  if (out[0] !== 0xee || out[n + 1] !== 0xee) return 'wrote outside [at, at + length)';
  return `ok ${Buffer.from(out.subarray(1, n + 1)).toString('hex')}`;
};
const viaString = (s: string): string => {
  try {
    return `ok ${Buffer.from(fromBase64(s)).toString('hex')}`;
  } catch {
    return 'refused';
  }
};

t.test('accepts exactly the texts fromBase64 accepts, with the same bytes (property)', async (t) => {
  let accepted = 0;
  const text = fc.oneof(
    fc.uint8Array({ maxLength: 70 }).map((b) => toBase64(b)),
    fc.uint8Array({ minLength: 1, maxLength: 70 }).chain((b) => fc.nat(toBase64(b).length - 1).map((at) => { const s = toBase64(b); return `${s.slice(0, at)}${'A/+=9z'[at % 6]}${s.slice(at + 1)}`; })),
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n.\u0000\u00ff'), maxLength: 24 }),
  );
  fc.assert(fc.property(text, (s) => {
    const a = viaBytes(s);
    if (a !== 'refused') accepted++;
    return a === viaString(s);
  }), { numRuns: 5000 });
  t.ok(accepted > 1000, `${accepted} of 5000 texts accepted, so the comparison is not vacuous`);
});

t.test('each non-canonical form is refused', async (t) => {
  for (const s of ['A', 'AB', 'ABC', 'AB=', 'AB==AB==', 'A===', '====', 'AB=C', 'AB C', 'A-_A', 'AB==\n', 'AR==', 'ABD=']) t.equal(viaBytes(s), 'refused', JSON.stringify(s));
  t.equal(viaBytes(''), 'ok ', 'the empty text is the empty string');
  t.equal(viaBytes('AA=='), 'ok 00', 'one byte');
  t.equal(viaBytes('AAA='), 'ok 0000', 'two bytes');
  t.equal(viaBytes('/+8A'), 'ok ffef00', 'three bytes, both high symbols');
  const short = Buffer.from('QUJDRE', 'latin1');
  t.equal(base64DecodedLength(short, 0, 8), -1, 'a text said to run past the end of its bytes is refused');
  t.notOk(decodeBase64Into(short, 0, 8, new Uint8Array(6), 0), 'and not decoded as if the missing bytes were `A`');
});
