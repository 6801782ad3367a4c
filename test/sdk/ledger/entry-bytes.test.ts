// openPlainEntry, the verifier's in-place path through a stored ledger entry, against the
// general path it stands in front of (parse, Envelope schema, canonical text, then
// openShapedJsonEnvelope). Whatever it accepts, the general path accepts with the same value
// and signers; it does accept every entry a ledger writes; and openEntry's verdicts and
// coded errors are those of the general path whichever path ran.
import fc from 'fast-check';
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { LEDGER_ENTRY_MEDIA_TYPE, canonicalize, encodeEntry, signJsonSync, toBase64 } from '@nexus-cos/sdk';
import { pae } from '../../../sdk/src/sign/pae.js';
import { openEntry } from '../../../sdk/src/ledger/entry.js';
import { TrustedKeys } from '../../../sdk/src/verify/trust.js';
import { openPlainEntry } from '../../../sdk/src/ledger/entry-bytes.js';
import { Envelope } from '../../../sdk/src/schemas/envelope.js';
import { openShapedJsonEnvelope } from '../../../sdk/src/verify/envelope.js';
import { owner, platform, usage } from '../../helpers/ledger.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
/** The general path's verdict, as a comparable string: the value and signers, or `refused`. */
function general(bytes: Uint8Array, trusted: TrustedKeys): string {
  try {
    const text = decoder.decode(bytes);
    const envelope: unknown = JSON.parse(text);
    if (!Value.Check(Envelope, envelope) || canonicalize(envelope) !== text) return 'refused';
    const { value, verified } = openShapedJsonEnvelope(envelope, { trusted, payloadType: LEDGER_ENTRY_MEDIA_TYPE });
    return JSON.stringify({ value, signedBy: verified.signedBy });
  } catch {
    return 'refused';
  }
}
const fast = (bytes: Uint8Array, trusted: TrustedKeys): string | undefined => {
  const r = openPlainEntry(bytes, trusted);
  return r === undefined ? undefined : JSON.stringify({ value: r.value, signedBy: r.signedBy });
};

const value = { v: 1, kind: 'usage', seq: '0', prev: '0'.repeat(64), ...usage('IMVU-042', 1), quantity: '1' };
const platformOnly = TrustedKeys.fromDids([platform.publicKey.id]);
const both = TrustedKeys.fromDids([platform.publicKey.id, owner.publicKey.id]);

t.test('a ledger\'s entries take the in-place path, with the general path\'s value and signers', async (t) => {
  const one = encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform]));
  t.equal(fast(one, platformOnly), general(one, platformOnly), 'one signature');
  t.not(general(one, platformOnly), 'refused', 'which the general path accepts');
  const two = encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform, owner]));
  t.equal(fast(two, both), general(two, both), 'two trusted signatures: both are named');
  t.equal(fast(two, platformOnly), undefined, 'a signature by a key not trusted is left to the general path...');
  t.same(openEntry(two, platformOnly).signedBy, [platform.publicKey.id], '...which ignores it, as before');
  const long = encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, { ...value, subject: 'x'.repeat(20_000) }, [platform]));
  t.ok(long.length > 16 * 1024, 'a payload longer than the scratch buffer');
  t.equal(fast(long, platformOnly), general(long, platformOnly), 'takes the in-place path too');
  t.equal(fast(one, platformOnly), general(one, platformOnly), 'and the next entry is read as before');
});

t.test('a payload over the schema\'s base64 bound is left to the general path, which refuses it', async (t) => {
  // Valid JSON padded with spaces to just over 2^26 base64 characters, validly signed.
  const json = Buffer.from(JSON.stringify(value));
  const payload = Buffer.alloc(3 * ((1 << 24) + 1)).fill(0x20);
  json.copy(payload);
  const sig = toBase64(platform.signSync(pae(LEDGER_ENTRY_MEDIA_TYPE, payload)));
  const bytes = encodeEntry({ payload: toBase64(payload), payloadType: LEDGER_ENTRY_MEDIA_TYPE, signatures: [{ keyid: platform.publicKey.id, sig }] });
  t.equal(openPlainEntry(bytes, platformOnly), undefined, 'declined');
  t.throws(() => openEntry(bytes, platformOnly, '/entries/0'), { code: 'ENVELOPE_MALFORMED', field: '/entries/0/payload' }, 'the general path\'s verdict');
});

t.test('on any change to an entry\'s bytes, it never accepts what the general path refuses (property)', async (t) => {
  const bytes = encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform, platform]));
  const edit = fc.oneof(
    fc.record({ at: fc.nat(bytes.length - 1), byte: fc.integer({ min: 0, max: 255 }) }).map(({ at, byte }) => { const b = Uint8Array.from(bytes); b[at] = byte; return b; }),
    fc.nat(bytes.length).map((n) => bytes.subarray(0, n)),
    fc.record({ at: fc.nat(bytes.length), byte: fc.integer({ min: 0, max: 255 }) }).map(({ at, byte }) => Uint8Array.from([...bytes.subarray(0, at), byte, ...bytes.subarray(at)])),
    fc.nat(bytes.length - 1).map((at) => Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)])),
    fc.constant(bytes),
  );
  let accepted = 0;
  let runs = 0;
  fc.assert(fc.property(edit, (b) => {
    runs++;
    const f = fast(b, platformOnly);
    if (f === undefined) return true;
    accepted++;
    return f === general(b, platformOnly);
  }), { numRuns: 3000 });
  t.equal(runs, 3000, '3000 edits');
  t.ok(accepted > 0, `${accepted} accepted (the unchanged entry among them), each as the general path accepts it`);
});

t.test('what it declines, openEntry still decides with the general path\'s coded error', async (t) => {
  const signed = signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [platform]);
  const sig = signed.signatures[0]?.sig ?? '';
  const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
  const code = (b: Uint8Array): string => {
    try {
      openEntry(b, platformOnly, '/entries/7');
      return 'accepted';
    } catch (e) {
      return `${(e as { code: string }).code} ${(e as { field?: string }).field ?? ''}`;
    }
  };
  t.equal(code(encodeEntry({ ...signed, signatures: [{ keyid: platform.publicKey.id, sig: flipped }] })), 'SIGNATURE_INVALID /entries/7/signatures/0/sig', 'a changed signature');
  t.equal(code(encodeEntry({ ...signed, payloadType: 'application/json' })), 'SIGNATURE_INVALID /entries/7/signatures/0/sig', 'another payload type: the signature covers the type, so it fails first');
  t.equal(code(encodeEntry(signJsonSync('application/json', value, [platform]))), 'ENVELOPE_PAYLOAD_TYPE /entries/7/payloadType', 'a validly signed envelope of another type');
  t.equal(code(encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, value, [owner]))), 'SIGNATURE_UNTRUSTED /entries/7/signatures', 'signed only by a key not trusted');
  const notJson = { ...signed, payload: Buffer.from('{"v":1,').toString('base64') };
  const resigned = encodeEntry({ payload: notJson.payload, payloadType: LEDGER_ENTRY_MEDIA_TYPE, signatures: [{ keyid: platform.publicKey.id, sig: Buffer.from(platform.signSync(Buffer.from(`DSSEv1 ${LEDGER_ENTRY_MEDIA_TYPE.length} ${LEDGER_ENTRY_MEDIA_TYPE} 7 {"v":1,`))).toString('base64') }] });
  t.equal(code(resigned), 'PAYLOAD_INVALID /entries/7/payload', 'a signed payload that is not JSON');
  t.match(code(encodeEntry(signJsonSync(LEDGER_ENTRY_MEDIA_TYPE, { ...value, kind: 'nope' }, [platform]))), /^PAYLOAD_INVALID \/entries\/7\//, 'a signed entry outside the LedgerEntry schema');
});
