import { open } from 'node:fs/promises';
import { pack } from 'tar-stream';
import { canonicalBytes } from '../encoding/canonical-json.js';
import { fromBase64, toBase64 } from '../encoding/base64.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { fail } from '../errors/index.js';
import { MANIFEST_PATH } from '../exit/layout.js';
import { readMembers } from '../exit/read.js';
import { fileChunks } from '../files/file-chunks.js';
import { pae } from '../sign/pae.js';
import type { Signer } from '../sign/signer.js';

const BLOCK = 512;
const END = 2 * BLOCK;
const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/** A NUL-terminated or full-width field of a ustar header. */
const field = (h: Buffer, at: number, len: number): string => {
  const raw = h.subarray(at, at + len);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? len : nul).toString('latin1');
};

async function member(name: string, bytes: Uint8Array, mtime: Date): Promise<Buffer> {
  const p = pack();
  p.entry({ name, size: bytes.length, mode: 0o644, mtime, type: 'file' }, Buffer.from(bytes));
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Adds the owner's signature to the manifest of an uncompressed bundle already verified at
 * `path` (spec/exit-bundle.md §3: the owner MAY countersign, over the same PAE bytes). The
 * manifest is the last member, so only the archive's tail is rewritten: the file is cut
 * where the manifest's header starts and the countersigned member and the end blocks are
 * written there. The caller verifies the result again before naming it.
 */
export async function countersignBundle(path: string, signer: Signer): Promise<void> {
  let manifest: Uint8Array | undefined;
  for await (const m of readMembers(fileChunks(path))) if (m.path === MANIFEST_PATH) manifest = m.bytes;
  if (manifest === undefined) throw fail('BUNDLE_FILE_MISSING', 'no manifest to countersign', MANIFEST_PATH);
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    const at = size - END - padded(manifest.length) - BLOCK;
    const header = Buffer.alloc(BLOCK);
    await fh.read(header, 0, BLOCK, at);
    // The tail must be exactly the manifest's ustar header, its content and the end blocks.
    if (at < 0 || field(header, 0, 100) !== MANIFEST_PATH || field(header, 345, 155) !== '' || Number.parseInt(field(header, 124, 12), 8) !== manifest.length) {
      throw fail('BUNDLE_ARCHIVE_INVALID', 'the archive does not end with the manifest as the writer lays it out', MANIFEST_PATH);
    }
    const mtime = new Date(Number.parseInt(field(header, 136, 12), 8) * 1000);
    const envelope = JSON.parse(fromUtf8(manifest)) as { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };
    const sig = await signer.sign(pae(envelope.payloadType, fromBase64(envelope.payload)));
    const signed = { ...envelope, signatures: [...envelope.signatures.filter((s) => s.keyid !== signer.publicKey.id), { keyid: signer.publicKey.id, sig: toBase64(sig) }] };
    const tail = await member(MANIFEST_PATH, canonicalBytes(signed), mtime);
    await fh.truncate(at);
    await fh.write(tail, 0, tail.length, at);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
