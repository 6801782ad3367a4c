import { toHex } from '../../sdk/src/encoding/hex.js';
import { isNexusError } from '../../sdk/src/errors/index.js';
import { leafHash, rootFromLeafHashes } from '../../sdk/src/merkle/index.js';
import {
  formatCheckpoint,
  formatKeyId,
  formatVerifierKey,
  openCheckpoint,
  openNote,
  parseVerifierKey,
  signNote,
} from '../../sdk/src/note/index.js';
import { LocalSigner } from '../../sdk/src/sign/local-signer.js';

// Fixed keys (never use them for anything real): the log key's Ed25519 seed is 32 bytes
// of 0x01, a witness's is 32 bytes of 0x02, a stranger's 32 bytes of 0x03.
const ORIGIN = 'nexus-cos.example/log';
const SEEDS = { log: 0x01, witness: 0x02, stranger: 0x03 } as const;
const NAMES = { log: ORIGIN, witness: 'witness.example/w1', stranger: 'stranger.example/s' } as const;

// golang.org/x/mod/sumdb/note example (package doc, note_test.go): an interop vector.
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_NOTE = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

/** The checkpoint a valid checkpoint case opens to (size as a decimal string, root hex). */
export interface CheckpointExpect { origin: string; size: string; root: string; extensions: string[] }

/**
 * One note case. `kind` "note" runs openNote(note, trusted); "checkpoint" runs
 * openCheckpoint(note, {origin, trusted}). `expect` is "valid" or the error code.
 */
export interface NoteCase {
  name: string;
  kind: 'note' | 'checkpoint';
  note: string;
  trusted: string[];
  origin?: string;
  expect: string;
  text?: string;
  verifiedBy?: string[];
  checkpoint?: CheckpointExpect;
}

function outcome(c: NoteCase): string {
  try {
    const keys = c.trusted.map(parseVerifierKey);
    const got =
      c.kind === 'note'
        ? { ...openNote(c.note, keys) }
        : (({ checkpoint: cp, verifiedBy }) => ({
            verifiedBy,
            checkpoint: { origin: cp.origin, size: cp.size.toString(), root: toHex(cp.root), extensions: [...cp.extensions] },
          }))(openCheckpoint(c.note, { origin: c.origin as string, trusted: keys }));
    // A valid case must also state what a verifier returns, exactly.
    for (const k of ['text', 'verifiedBy', 'checkpoint'] as const) {
      if (c[k] !== undefined && JSON.stringify(c[k]) !== JSON.stringify((got as Record<string, unknown>)[k])) {
        throw new Error(`note vector "${c.name}": ${k} differs`);
      }
    }
    return 'valid';
  } catch (e) {
    if (isNexusError(e)) return e.code;
    throw e;
  }
}

// XORs one UTF-8 byte position of an ASCII region; callers pick positions inside ASCII.
function flipChar(s: string, at: number, mask = 1): string {
  return s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ mask) + s.slice(at + 1);
}

/** Builds spec/vectors/note.json: keys, signed checkpoints and negative cases (spec/checkpoint.md). */
export function buildNoteVectors(): object {
  const signers = Object.fromEntries(
    Object.entries(SEEDS).map(([k, b]) => [k, LocalSigner.fromSeed(new Uint8Array(32).fill(b), 'noble')]),
  ) as Record<keyof typeof SEEDS, LocalSigner>;
  const who = (k: keyof typeof SEEDS): { name: string; signer: LocalSigner } => ({ name: NAMES[k], signer: signers[k] });
  const vkey = (k: keyof typeof SEEDS): string => formatVerifierKey(NAMES[k], signers[k].publicKey);

  // The checkpoint commits to the 70-leaf tree of merkle.json (leaf i = uint32be(i)).
  const leaves = Array.from({ length: 70 }, (_, i) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, i, false);
    return leafHash(b);
  });
  const root = rootFromLeafHashes(leaves);
  const body = formatCheckpoint({ origin: ORIGIN, size: 70n, root });
  const bodyExt = formatCheckpoint({ origin: ORIGIN, size: 70n, root, extensions: ['nexus-cos extension line'] });
  const expected = (extensions: string[]): CheckpointExpect => ({ origin: ORIGIN, size: '70', root: toHex(root), extensions });

  const signed = signNote(body, [who('log')]);
  const cosigned = signNote(body, [who('log'), who('witness'), who('stranger')]);
  const sigAt = signed.lastIndexOf(' ') + 1; // first base64 character of the log signature
  const cp = (name: string, note: string, expect: string, extra: Partial<NoteCase> = {}): NoteCase => ({
    name, kind: 'checkpoint', note, trusted: [vkey('log')], origin: ORIGIN, expect, ...extra,
  });

  const cases: NoteCase[] = [
    cp('signed checkpoint', signed, 'valid', { checkpoint: expected([]), verifiedBy: [ORIGIN] }),
    cp('checkpoint with an extension line', signNote(bodyExt, [who('log')]), 'valid', { checkpoint: expected(['nexus-cos extension line']) }),
    cp('log signature plus witness and unknown signatures', cosigned, 'valid', { checkpoint: expected([]), verifiedBy: [ORIGIN] }),
    cp('log and witness both trusted', cosigned, 'valid', { trusted: [vkey('log'), vkey('witness')], verifiedBy: [ORIGIN, NAMES.witness] }),
    cp('flipped byte in the tree size', flipChar(signed, ORIGIN.length + 2), 'SIGNATURE_INVALID'),
    cp('flipped byte in the root hash line', flipChar(signed, ORIGIN.length + 5), 'SIGNATURE_INVALID'),
    cp('flipped byte in the signature', flipChar(signed, sigAt + 10), 'SIGNATURE_INVALID'),
    cp('flipped byte in the key id', flipChar(signed, sigAt + 1), 'NOTE_UNSIGNED'),
    cp('wrong key trusted', signed, 'NOTE_UNSIGNED', { trusted: [vkey('witness')] }),
    cp('unknown key only', signNote(body, [who('stranger')]), 'NOTE_UNSIGNED'),
    cp('trusted name, different key', signNote(body, [{ name: ORIGIN, signer: signers.stranger }]), 'NOTE_UNSIGNED'),
    cp('other origin expected', signed, 'CHECKPOINT_ORIGIN', { origin: 'nexus-cos.example/other' }),
    cp('signed body with a leading zero in the size', signNote(body.replace('\n70\n', '\n070\n'), [who('log')]), 'CHECKPOINT_MALFORMED'),
    cp('signed body without a root line', signNote(`${ORIGIN}\n70\n`, [who('log')]), 'CHECKPOINT_MALFORMED'),
    cp('hyphen instead of em dash', signed.replace('\u2014', '-'), 'NOTE_MALFORMED'),
    cp('no blank line before signatures', signed.replace('\n\n', '\n'), 'NOTE_MALFORMED'),
    cp('missing final newline', signed.slice(0, -1), 'NOTE_MALFORMED'),
    cp('carriage return in text', signed.replace(`${ORIGIN}\n`, `${ORIGIN}\r\n`), 'NOTE_MALFORMED'),
    {
      name: 'golang.org/x/mod/sumdb/note example note', kind: 'note', note: GO_NOTE, trusted: [GO_VKEY], expect: 'valid',
      text: GO_NOTE.slice(0, GO_NOTE.indexOf('\n\n') + 1), verifiedBy: ['PeterNeumann'],
    },
  ];
  for (const c of cases) {
    const got = outcome(c);
    if (got !== c.expect) throw new Error(`note vector "${c.name}": expected ${c.expect}, verifier says ${got}`);
  }

  return {
    description: 'C2SP signed notes with Ed25519 and tlog-checkpoint bodies (spec/checkpoint.md). Keys are fixed test keys.',
    keys: (Object.keys(SEEDS) as (keyof typeof SEEDS)[]).map((k) => ({
      role: k,
      name: NAMES[k],
      seed: toHex(new Uint8Array(32).fill(SEEDS[k])),
      publicKey: toHex(signers[k].publicKey.bytes),
      keyId: formatKeyId(parseVerifierKey(vkey(k)).keyId),
      verifierKey: vkey(k),
    })),
    goReference: { source: 'golang.org/x/mod/sumdb/note (repo golang/mod, note.go doc and note_test.go)', verifierKey: GO_VKEY, keyId: 'c74f20a3' },
    cases,
  };
}
