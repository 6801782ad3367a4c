import t from 'tap';
import { toBase64 } from '../../../sdk/src/encoding/base64.js';
import { toHex } from '../../../sdk/src/encoding/hex.js';
import { leafHash, rootFromLeafHashes } from '../../../sdk/src/merkle/index.js';
import {
  formatCheckpoint,
  MAX_CHECKPOINT_SIZE,
  noteVerifierKey,
  openCheckpoint,
  parseCheckpointBody,
  signNote,
} from '../../../sdk/src/note/index.js';
import { LocalSigner } from '../../../sdk/src/sign/local-signer.js';
import { throwsCode } from '../../helpers/codes.js';

const ORIGIN = 'nexus.example/log';
const log = LocalSigner.fromSeed(new Uint8Array(32).fill(7));
const KEY = noteVerifierKey(ORIGIN, log.publicKey);
const root = rootFromLeafHashes([leafHash(Uint8Array.of(1)), leafHash(Uint8Array.of(2))]);
const sign = (body: string): string => signNote(body, [{ name: ORIGIN, signer: log }]);

t.test('round-trip: format, sign, open', async (t) => {
  const body = formatCheckpoint({ origin: ORIGIN, size: 2n, root, extensions: ['ext one'] });
  t.equal(body, `${ORIGIN}\n2\n${toBase64(root)}\next one\n`);
  const { checkpoint, verifiedBy } = openCheckpoint(sign(body), { origin: ORIGIN, trusted: [KEY] });
  t.equal(checkpoint.origin, ORIGIN);
  t.equal(checkpoint.size, 2n);
  t.equal(toHex(checkpoint.root), toHex(root));
  t.same(checkpoint.extensions, ['ext one']);
  t.same(verifiedBy, [ORIGIN]);
  t.same(parseCheckpointBody(formatCheckpoint({ origin: 'o', size: MAX_CHECKPOINT_SIZE, root })).size, MAX_CHECKPOINT_SIZE);
});

t.test('the C2SP example body parses', async (t) => {
  // From c2sp.org/tlog-checkpoint.
  const cp = parseCheckpointBody('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
  t.equal(cp.size, 20852163n);
  t.same(cp.extensions, []);
});

t.test('origin mismatch: CHECKPOINT_ORIGIN', async (t) => {
  const note = sign(formatCheckpoint({ origin: ORIGIN, size: 2n, root }));
  throwsCode(t, () => openCheckpoint(note, { origin: 'nexus.example/other', trusted: [KEY] }), 'CHECKPOINT_ORIGIN');
});

t.test('signatures are checked before the body is parsed', async (t) => {
  const bad = 'not a checkpoint\n';
  throwsCode(t, () => openCheckpoint(sign(bad), { origin: ORIGIN, trusted: [KEY] }), 'CHECKPOINT_MALFORMED');
  const other = noteVerifierKey(ORIGIN, LocalSigner.fromSeed(new Uint8Array(32).fill(8)).publicKey);
  throwsCode(t, () => openCheckpoint(sign(bad), { origin: ORIGIN, trusted: [other] }), 'NOTE_UNSIGNED');
  throwsCode(t, () => openCheckpoint(sign(bad).replace('not', 'NOT'), { origin: ORIGIN, trusted: [KEY] }), 'SIGNATURE_INVALID');
});

t.test('malformed bodies: CHECKPOINT_MALFORMED', async (t) => {
  const r = toBase64(root);
  for (const [name, body] of [
    ['two lines', `${ORIGIN}\n2\n`],
    ['no final newline', `${ORIGIN}\n2\n${r}`],
    ['empty origin', `\n2\n${r}\n`],
    ['leading zero', `${ORIGIN}\n02\n${r}\n`],
    ['plus sign', `${ORIGIN}\n+2\n${r}\n`],
    ['negative', `${ORIGIN}\n-2\n${r}\n`],
    ['hex size', `${ORIGIN}\n0x2\n${r}\n`],
    ['space in size', `${ORIGIN}\n 2\n${r}\n`],
    ['2^63', `${ORIGIN}\n9223372036854775808\n${r}\n`],
    ['short root', `${ORIGIN}\n2\n${toBase64(root.subarray(1))}\n`],
    ['unpadded root', `${ORIGIN}\n2\n${r.replace(/=+$/, '')}\n`],
    ['hex root', `${ORIGIN}\n2\n${toHex(root)}\n`],
    ['empty extension', `${ORIGIN}\n2\n${r}\n\n`],
    ['CR line ending', `${ORIGIN}\r\n2\n${r}\n`],
  ] as const) {
    throwsCode(t, () => parseCheckpointBody(body), 'CHECKPOINT_MALFORMED', name);
  }
  throwsCode(t, () => formatCheckpoint({ origin: ORIGIN, size: -1n, root }), 'CHECKPOINT_MALFORMED');
  throwsCode(t, () => formatCheckpoint({ origin: 'a\nb', size: 1n, root }), 'CHECKPOINT_MALFORMED');
  throwsCode(t, () => formatCheckpoint({ origin: ORIGIN, size: 1n, root, extensions: [''] }), 'CHECKPOINT_MALFORMED');
});
