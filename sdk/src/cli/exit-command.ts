import { openSync, fstatSync, readFileSync, closeSync, rmSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { fromBase64 } from '../encoding/base64.js';
import { fail, isErrorCode, isNexusError, NexusError } from '../errors/index.js';
import { verifyExitBundle } from '../exit/verify-bundle.js';
import { fileChunks } from '../files/file-chunks.js';
import { hashedChunks } from '../crypto/hash-file.js';
import { signRequest } from '../request/sign-request.js';
import { LocalSigner } from '../sign/local-signer.js';
import { parseCanonicalJsonArtifact } from '../verify/artifact.js';
import { loadTrustedRoot, type LoadedTrustedRoot } from '../verify/trusted-root.js';
import { countersignBundle } from './exit-countersign.js';
import { gzipFile, saveBundle } from './exit-download.js';
import { jsonSink, plainSink, ttySink, type ProgressSink } from './exit-progress.js';

/** What `imvu-exit` writes to: two output streams and whether stderr is a terminal. */
export interface ExitIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly tty: boolean;
  readonly columns: number;
}

export const EXIT_USAGE = `usage: imvu-exit --imvu-id IMVU-042 --key OWNER_KEY_FILE [--out FILE] [--appliance URL] [--json] [--gzip] [--countersign] [--trusted-root FILE]

Asks the appliance for the IMVU's exit bundle with a request signed by the owner's key
(a file holding the base64 32-byte Ed25519 seed, mode 0600), streams it to FILE (default
<imvu>.exit.tar, or .tar.gz with --gzip) through a temporary name, verifies it offline,
and only then gives it its name. --json prints one JSON line per event. --countersign adds
the owner's signature to the manifest; with --gzip too, the bundle is downloaded uncompressed,
countersigned, then compressed here (the disk briefly holds both).
exit: 0 written and verified, 1 refused or failed (no file is left), 2 usage error, 3 internal error`;

const IMVU_ID = /^IMVU-[0-9]{3,12}$/;
const DEFAULT_APPLIANCE = 'http://127.0.0.1:8080';

interface Options {
  readonly imvu: string;
  readonly signer: LocalSigner;
  readonly out: string;
  readonly appliance: URL;
  readonly json: boolean;
  readonly gzip: boolean;
  readonly countersign: boolean;
  readonly root?: LoadedTrustedRoot;
}

const usage = (message: string, flag: string, cause?: unknown): NexusError => fail('USAGE', message, flag, cause);

/** Reads the owner's seed; like ssh, refuses a file others can read. Its content is never echoed. */
function readKey(path: string): LocalSigner {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw usage(`cannot open the key file ${path}`, '--key', cause);
  }
  try {
    if ((fstatSync(fd).mode & 0o077) !== 0) throw usage(`the key file ${path} is readable by others; it must be mode 600`, '--key');
    let seed: Uint8Array;
    try {
      seed = fromBase64(readFileSync(fd, 'utf8').trim());
    } catch {
      throw usage(`the key file ${path} is not base64`, '--key');
    }
    if (seed.length !== 32) throw usage(`the key file ${path} is not a 32-byte Ed25519 seed`, '--key');
    return LocalSigner.fromSeed(seed);
  } finally {
    closeSync(fd);
  }
}

function parse(argv: readonly string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv], allowPositionals: false, strict: true,
      options: { 'imvu-id': { type: 'string' }, key: { type: 'string' }, out: { type: 'string' }, appliance: { type: 'string' }, json: { type: 'boolean' }, gzip: { type: 'boolean' }, countersign: { type: 'boolean' }, 'trusted-root': { type: 'string' } },
    }));
  } catch (cause) {
    // node:util names the flag in its message ("Unknown option '--foo'").
    const flag = /'(--?[^'\s]+)/.exec(cause instanceof Error ? cause.message : '')?.[1];
    throw usage(cause instanceof Error ? cause.message : 'bad arguments', flag ?? 'argv', cause);
  }
  const imvu = values['imvu-id'];
  if (imvu === undefined) throw usage('--imvu-id is required', '--imvu-id');
  if (!IMVU_ID.test(imvu)) throw usage(`--imvu-id must look like IMVU-042, got ${JSON.stringify(imvu.slice(0, 40))}`, '--imvu-id');
  if (values.key === undefined) throw usage('--key is required', '--key');
  let appliance: URL;
  try {
    appliance = new URL(values.appliance ?? DEFAULT_APPLIANCE);
  } catch (cause) {
    throw usage('--appliance is not a URL', '--appliance', cause);
  }
  if ((appliance.protocol !== 'http:' && appliance.protocol !== 'https:') || appliance.search !== '' || appliance.username !== '') {
    throw usage('--appliance must be an http(s) URL without query or credentials', '--appliance');
  }
  const gzip = values.gzip === true;
  const countersign = values.countersign === true;
  const out = values.out ?? `${imvu}.exit.tar${gzip ? '.gz' : ''}`;
  if (out === '' || out.endsWith('/')) throw usage('--out must name a file', '--out');
  let root: LoadedTrustedRoot | undefined;
  const rootPath = values['trusted-root'];
  if (rootPath !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(rootPath));
    } catch (cause) {
      throw usage(`cannot read ${rootPath}`, '--trusted-root', cause);
    }
    root = loadTrustedRoot(parseCanonicalJsonArtifact(bytes, '--trusted-root'));
  }
  const signer = readKey(values.key);
  return { imvu, signer, out, appliance, json: values.json === true, gzip, countersign, ...(root === undefined ? {} : { root }) };
}

/** The appliance's refusal as an error, keeping its code when this SDK knows it. */
function refusal(status: number, body: string): { error: NexusError; hold?: unknown } {
  let parsed: { code?: unknown; message?: unknown; field?: unknown; hold?: unknown } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // Not JSON: the status says enough.
  }
  const code = typeof parsed.code === 'string' && isErrorCode(parsed.code) ? parsed.code : 'HTTP_ERROR';
  const message = typeof parsed.message === 'string' ? parsed.message : `the appliance answered ${status}`;
  const error = fail(code, message, typeof parsed.field === 'string' ? parsed.field : undefined);
  return parsed.hold === undefined ? { error } : { error, hold: parsed.hold };
}

/** Downloads, verifies and names the bundle; throws on any failure, having removed the temporary file. */
async function exit(o: Options, sink: ProgressSink): Promise<void> {
  // A countersignature rewrites the archive's last member in place, which a gzip stream has no
  // place for: that bundle comes uncompressed and is compressed here once it is signed.
  const gzipped = o.gzip && !o.countersign;
  const path = `${o.appliance.pathname.replace(/\/+$/, '')}/v1/imvus/${o.imvu}/exit${gzipped ? '?gzip=1' : ''}`;
  const authorization = await signRequest(o.signer, { method: 'POST', path, body: new Uint8Array(0) });
  let res;
  try {
    res = await request(`${o.appliance.origin}${path}`, { method: 'POST', headers: { authorization }, body: null, bodyTimeout: 0 });
  } catch (cause) {
    throw fail('HTTP_ERROR', `cannot reach ${o.appliance.origin}: ${cause instanceof Error ? cause.message : String(cause)}`, '--appliance', cause);
  }
  if (res.statusCode !== 200) {
    const r = refusal(res.statusCode, await res.body.text());
    sink.emit({ event: 'error', ...r.error.toJSON(), ...(r.hold === undefined ? {} : { hold: r.hold }) });
    throw Object.assign(r.error, { reported: true });
  }
  const header = (name: string): number | undefined => {
    const v = res.headers[name];
    const n = typeof v === 'string' ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  };
  const total = header('x-nexus-exit-size');
  const filesTotal = header('x-nexus-exit-files');
  sink.emit({ event: 'start', imvu: o.imvu, gzip: o.gzip, ...(total === undefined ? {} : { total }), ...(filesTotal === undefined ? {} : { files: filesTotal }) });
  // Same directory, so the final rename is atomic; a random suffix, so nothing is overwritten.
  const temp = join(dirname(o.out), `.${basename(o.out)}.${randomBytes(6).toString('hex')}.part`);
  // The countersigned bundle compressed (--gzip --countersign), beside the first.
  const packed = `${temp}.gz`;
  // Interrupted (Ctrl-C, a service stop): remove the partial files, then die by the signal.
  const interrupted = (signal: NodeJS.Signals): void => {
    for (const f of [temp, packed]) rmSync(f, { force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    let saved;
    try {
      saved = await saveBundle(res.body, temp, gzipped, (p, size, bytes, files) =>
        sink.emit({ event: 'file', path: p, size, bytes, files, ...(total === undefined ? {} : { total }), ...(filesTotal === undefined ? {} : { filesTotal }) }));
    } catch (cause) {
      throw fail('HTTP_ERROR', `the bundle stream failed: ${cause instanceof Error ? cause.message : String(cause)}`, o.out, cause);
    }
    sink.emit({ event: 'downloaded', bytes: saved.tarBytes, files: saved.files });
    // The offline verifier, on the bytes as written to disk.
    const verify = (f: string) => verifyExitBundle(fileChunks(f), o.root);
    let v = await verify(temp);
    if (v.imvu !== o.imvu) throw fail('BUNDLE_MANIFEST_INVALID', `the bundle is for ${v.imvu}, not ${o.imvu}`, 'manifest.json#/payload/imvu');
    let file = { size: saved.size, sha256: saved.sha256 };
    let final = temp;
    if (o.countersign) {
      sink.emit({ event: 'countersigning', compress: o.gzip });
      await countersignBundle(temp, o.signer);
      if (o.gzip) {
        await gzipFile(temp, packed);
        await unlink(temp);
        final = packed;
      }
      // Verified again as it will be named: countersigned, and compressed if asked. The size
      // and digest the `done` line reports are of exactly the bytes this pass verified.
      const read = hashedChunks(fileChunks(final));
      v = await verifyExitBundle(read.chunks, o.root);
      if (!v.countersignedBy.includes(o.signer.publicKey.id)) throw fail('SIGNATURE_UNTRUSTED', 'the key is not one the bundle\'s record names as the owner\'s', '--key');
      file = read.digest();
    }
    sink.emit({ event: 'verified', entries: v.entries, head: v.head, trust: v.trust, manifestSignedBy: v.manifestSignedBy, countersignedBy: v.countersignedBy });
    await rename(final, o.out);
    sink.emit({ event: 'done', path: o.out, ...file });
  } catch (e) {
    for (const f of [temp, packed]) await unlink(f).catch(() => undefined);
    throw e;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** Runs `imvu-exit ...`; resolves with the exit code. */
export async function runExit(argv: readonly string[], io: ExitIo): Promise<number> {
  const json = argv.includes('--json');
  let sink: ProgressSink = json ? jsonSink(io.stdout) : plainSink(io.stdout);
  try {
    const o = parse(argv);
    if (!json && io.tty) sink = ttySink(io.stdout, io.stderr, io.columns);
    await exit(o, sink);
    return 0;
  } catch (e) {
    if (!isNexusError(e)) {
      io.stderr(`INTERNAL ERROR (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return 3;
    }
    if (!(e as { reported?: boolean }).reported) sink.emit({ event: 'error', ...e.toJSON() });
    if (e.code === 'USAGE' && !json) io.stderr(`${EXIT_USAGE}\n`);
    return e.code === 'USAGE' ? 2 : 1;
  }
}
