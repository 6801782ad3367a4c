import t from 'tap';
import { canonicalize } from '../../sdk/src/encoding/canonical-json.js';
import { throwsCode } from '../helpers/codes.js';

t.test('sorts members by UTF-16 code units (RFC 8785 §3.2.3)', async (t) => {
  // From RFC 8785 §3.2.3: the sort order example.
  const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
  // Object.keys would hoist "1"; compare the text itself.
  const order = [...canonicalize(input).matchAll(/"([^"]*)":"[^"]*"/g)].map((m) => m[1]);
  t.same(order, ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
});

t.test('escapes strings as ECMAScript does, with no whitespace', async (t) => {
  t.equal(canonicalize({ b: [1, 'x\n"\u001f'], a: null, c: true }), '{"a":null,"b":[1,"x\\n\\"\\u001f"],"c":true}');
  t.equal(canonicalize(-0), '0');
});

for (const [name, bad] of [
  ['float', 1.5],
  ['unsafe integer', 2 ** 53],
  ['NaN', Number.NaN],
  ['bigint', 1n],
  ['undefined member', { a: undefined }],
  ['lone surrogate', '\ud800'],
  ['Date', new Date(0)],
] as const) {
  t.test(`refuses ${name}`, async (t) => {
    throwsCode(t, () => canonicalize(bad), 'CANONICAL_JSON_UNSUPPORTED');
  });
}
