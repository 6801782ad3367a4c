// Archive surgery for tamper tests: unpack a bundle whole, change it, pack it again, with
// tar-stream (the library the SDK reads with), so every case is a well-formed tar.
import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';
import { EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, canonicalBytes, signJsonSync, type ExitBundleManifest, type SyncSigner } from '@nexus-cos/sdk';
import { createHash } from 'node:crypto';

/** One member: name, bytes, and (for links) its type and target. */
export interface Raw { name: string; bytes: Buffer; type?: 'file' | 'symlink' | 'link' | 'directory'; linkname?: string; size?: number }

export async function unpack(bundle: Buffer): Promise<Raw[]> {
  const ex = extract();
  Readable.from([bundle]).pipe(ex);
  const out: Raw[] = [];
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    out.push({ name: e.header.name, bytes: Buffer.concat(chunks) });
  }
  return out;
}

export async function repack(members: readonly Raw[]): Promise<Buffer> {
  const p = pack();
  const done = (async () => {
    const chunks: Buffer[] = [];
    for await (const c of p) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const m of members) {
    if (m.type === 'symlink' || m.type === 'link' || m.type === 'directory') {
      p.entry({ name: m.name, type: m.type, ...(m.linkname === undefined ? {} : { linkname: m.linkname }) });
    } else {
      p.entry({ name: m.name, size: m.size ?? m.bytes.length }, m.bytes);
    }
  }
  p.finalize();
  return done;
}

/** The manifest payload of an unpacked bundle (unverified). */
export function manifestOf(members: readonly Raw[]): ExitBundleManifest {
  const env = JSON.parse(members.find((m) => m.name === 'manifest.json')?.bytes.toString() ?? '{}') as { payload: string };
  return JSON.parse(Buffer.from(env.payload, 'base64').toString()) as ExitBundleManifest;
}

/** Re-lists every member with its real size and digest and signs the manifest with `signer`. */
export function resign(members: readonly Raw[], signer: SyncSigner): Raw[] {
  const m = manifestOf(members);
  const body = members.filter((x) => x.name !== 'manifest.json');
  const mediaTypes = new Map(m.files.map((f) => [f.path, f.mediaType]));
  const files = body.map((x) => ({ path: x.name, size: String(x.bytes.length), sha256: createHash('sha256').update(x.bytes).digest('hex'), mediaType: mediaTypes.get(x.name) ?? 'application/octet-stream' }));
  const env = signJsonSync(EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, { ...m, files }, [signer]);
  return [...body, { name: 'manifest.json', bytes: Buffer.from(canonicalBytes(env)) }];
}
