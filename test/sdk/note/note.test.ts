import fc from 'fast-check';
import t from 'tap';
import { toBase64 } from '../../../sdk/src/encoding/base64.js';
import { concatBytes, utf8 } from '../../../sdk/src/encoding/utf8.js';
import { isNexusError } from '../../../sdk/src/errors/index.js';
import { MAX_NOTE_BYTES, noteVerifierKey, openNote, parseNoteFrame, signNote } from '../../../sdk/src/note/index.js';
import { LocalSigner } from '../../../sdk/src/sign/local-signer.js';
import { throwsCode } from '../../helpers/codes.js';

const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const alice = LocalSigner.fromSeed(seed(1));
const bob = LocalSigner.fromSeed(seed(2), 'noble');
const mallory = LocalSigner.fromSeed(seed(3));
const A = noteVerifierKey('example.com/alice', alice.publicKey);
const B = noteVerifierKey('example.com/bob', bob.publicKey);
const TEXT = 'hello\n\nworld\n';
const NOTE = signNote(TEXT, [
  { name: A.name, signer: alice },
  { name: B.name, signer: bob },
]);

t.test('round-trip with two signers; blank lines inside the text survive', async (t) => {
  t.same(openNote(NOTE, [A, B]), { text: TEXT, verifiedBy: [A.name, B.name], verifiedKeys: [A.publicKey.id, B.publicKey.id] });
  t.same(openNote(utf8(NOTE), [B]).verifiedBy, [B.name]);
  t.equal(parseNoteFrame(NOTE).signatures.length, 2);
});

t.test('unknown keys are ignored, including a name or id collision with a trusted key', async (t) => {
  const withStranger = signNote(TEXT, [
    { name: 'stranger', signer: mallory },
    { name: A.name, signer: mallory }, // same name as A, different key id
    { name: A.name, signer: alice },
  ]);
  t.same(openNote(withStranger, [A]).verifiedBy, [A.name]);
});

t.test('no trusted signature: NOTE_UNSIGNED', async (t) => {
  throwsCode(t, () => openNote(NOTE, [noteVerifierKey('example.com/alice2', alice.publicKey)]), 'NOTE_UNSIGNED');
  throwsCode(t, () => openNote(NOTE, [noteVerifierKey('m', mallory.publicKey)]), 'NOTE_UNSIGNED');
  throwsCode(t, () => openNote(NOTE, []), 'NOTE_UNSIGNED');
});

t.test('a trusted signature that fails rejects the whole note', async (t) => {
  throwsCode(t, () => openNote(NOTE.replace('world', 'World'), [A]), 'SIGNATURE_INVALID');
  // Mallory signs under alice's name and key id: the pair matches a trusted key, so the
  // signature must be verified, and fails.
  const forged = parseNoteFrame(signNote(TEXT, [{ name: 'm', signer: mallory }])).signatures[0]!.signature;
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, A.keyId, false);
  const forgedLine = `\u2014 ${A.name} ${toBase64(concatBytes(id, forged))}`;
  throwsCode(t, () => openNote(`${TEXT}\n${forgedLine}\n`, [A, B]), 'SIGNATURE_INVALID');
  // One good trusted signature does not excuse a bad one.
  throwsCode(t, () => openNote(`${NOTE}${forgedLine}\n`, [A, B]), 'SIGNATURE_INVALID');
});

t.test('malformed framings: NOTE_MALFORMED', async (t) => {
  const [, sigLine] = NOTE.split('\n\n\u2014 ');
  const line = `\u2014 ${sigLine?.split('\n')[0]}`;
  const cases: [string, string | Uint8Array][] = [
    ['no blank line', `hello\n${line}\n`],
    ['no final newline', NOTE.slice(0, -1)],
    ['no signatures', `${TEXT}\n`],
    ['trailing blank line', `${NOTE}\n`],
    ['hyphen instead of em dash', NOTE.replaceAll('\u2014', '-')],
    ['en dash', NOTE.replaceAll('\u2014', '\u2013')],
    ['two spaces', NOTE.replace(`\u2014 ${A.name} `, `\u2014 ${A.name}  `)],
    ['no signature blob', `${TEXT}\n\u2014 ${A.name}\n`],
    ['empty blob', `${TEXT}\n\u2014 ${A.name} \n`],
    ['short blob', `${TEXT}\n\u2014 ${A.name} AAAAAA==\n`],
    ['non-canonical base64', `${TEXT}\n\u2014 ${A.name} AAAAAAB=\n`],
    ['name with plus', `${TEXT}\n\u2014 a+b AAAAAAA=\n`],
    ['carriage return', NOTE.replace('hello', 'hel\rlo')],
    ['tab', NOTE.replace('hello', 'hel\tlo')],
    ['NUL', NOTE.replace('hello', 'hel\u0000lo')],
    ['lone surrogate', NOTE.replace('hello', 'hel\ud800lo')],
    ['invalid UTF-8', Uint8Array.of(...utf8(NOTE.slice(0, 3)), 0xff, ...utf8(NOTE.slice(3)))],
    ['101 signatures', `${TEXT}\n${`${line}\n`.repeat(101)}`],
    ['over 1 MiB', signNoteUnchecked('x'.repeat(MAX_NOTE_BYTES) + '\n')],
  ];
  for (const [name, note] of cases) throwsCode(t, () => openNote(note, [A, B]), 'NOTE_MALFORMED', name);
  // 100 signatures are accepted (C2SP: at least 16).
  t.same(openNote(`${TEXT}\n${`${line}\n`.repeat(100)}`, [A]).verifiedBy, [A.name]);
  function signNoteUnchecked(text: string): string {
    return `${text}\n${line}\n`;
  }
});

t.test('signNote refuses text that would not open unchanged', async (t) => {
  const s = [{ name: A.name, signer: alice }];
  throwsCode(t, () => signNote('no newline', s), 'NOTE_MALFORMED');
  throwsCode(t, () => signNote('tab\there\n', s), 'NOTE_MALFORMED');
  throwsCode(t, () => signNote('ok\n', [{ name: 'bad name', signer: alice }]), 'KEY_INVALID');
  throwsCode(t, () => signNote('ok\n', []), 'INPUT_INVALID');
});

t.test('ambiguous trusted keys are refused', async (t) => {
  throwsCode(t, () => openNote(NOTE, [A, { ...A, publicKey: mallory.publicKey }]), 'INPUT_INVALID');
});

t.test('property: any single-byte change to a singly signed note is refused', async (t) => {
  const bytes = utf8(signNote('origin\n42\nsome text\n', [{ name: A.name, signer: alice }]));
  fc.assert(
    fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
      const b = Uint8Array.from(bytes);
      b[pos] = (b[pos] as number) ^ mask;
      try {
        openNote(b, [A]);
        return false;
      } catch (e) {
        return isNexusError(e) && ['NOTE_MALFORMED', 'NOTE_UNSIGNED', 'SIGNATURE_INVALID'].includes(e.code);
      }
    }),
    { numRuns: 1000 },
  );
  t.pass('1000 single-byte mutations refused');
});
