import t from 'tap';
import { fromBase64 } from '../../../sdk/src/encoding/base64.js';
import { formatVerifierKey, openNote, parseVerifierKey, signNote } from '../../../sdk/src/note/index.js';
import { LocalSigner } from '../../../sdk/src/sign/local-signer.js';
import { throwsCode } from '../../helpers/codes.js';

// The example key pair and signed note of golang.org/x/mod/sumdb/note (package doc and
// note_test.go, repo golang/mod). Matching them byte for byte shows that our key ids,
// verifier-key text, signature lines and framing interoperate with the Go reference.
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

t.test('parses the Go verifier key; key id c74f20a3', async (t) => {
  const key = parseVerifierKey(VKEY);
  t.equal(key.name, 'PeterNeumann');
  t.equal(key.keyId, 0xc74f20a3);
  t.equal(formatVerifierKey(key.name, key.publicKey), VKEY);
});

t.test('opens the Go example note', async (t) => {
  const opened = openNote(NOTE, [parseVerifierKey(VKEY)]);
  t.equal(opened.text, TEXT);
  t.same(opened.verifiedBy, ['PeterNeumann']);
  throwsCode(t, () => openNote(NOTE.replace('cryptography', 'cryptographY'), [parseVerifierKey(VKEY)]), 'SIGNATURE_INVALID');
});

t.test('signing with the Go example private key reproduces the note exactly', async (t) => {
  // Go's private key text ends in base64(0x01 || 32-byte Ed25519 seed), which may contain '+'.
  const raw = fromBase64(SKEY.split('+').slice(4).join('+'));
  t.equal(raw[0], 1);
  for (const backend of ['node', 'noble'] as const) {
    const signer = LocalSigner.fromSeed(raw.subarray(1), backend);
    t.equal(signNote(TEXT, [{ name: 'PeterNeumann', signer }]), NOTE, backend);
  }
});

t.test('refuses mangled verifier keys', async (t) => {
  for (const bad of [
    'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // wrong id
    'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // upper-case hex
    'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // short id
    'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // space in name
    'PeterNeumann+c74f20a3+Alpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // type byte 0x02
    'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T', // not base64
    'PeterNeumann+c74f20a3',
    '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  ]) {
    throwsCode(t, () => parseVerifierKey(bad), 'KEY_INVALID', bad);
  }
});
