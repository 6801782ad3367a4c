import { fail } from '../errors/index.js';
import { fromUtf8 } from '../encoding/utf8.js';
import { EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, assertExitBundleManifestV1, type ExitBundleManifest } from '../schemas/exit-bundle.js';
import { openJsonEnvelope } from '../verify/envelope.js';
import { parseCanonicalJsonArtifact } from '../verify/artifact.js';
import { loadTrustedRoot, type LoadedTrustedRoot } from '../verify/trusted-root.js';
import { CHAIN_PATH, HEAD_PROOF_PATH, MANIFEST_PATH, TRUSTED_ROOT_PATH, needsContent } from './layout.js';
import { StreamedChain } from '../verify/parallel/stream.js';
import { verifyHeadProof } from '../verify/slice.js';
import { checkCountersignature } from './countersign-check.js';
import { PARALLEL_MIN_ENTRIES, checkLedger } from './ledger-check.js';
import { checkKeyPeriods } from './period-check.js';
import { readMembers, type ByteSource, type Member, type MemberSink } from './read.js';
import { checkState } from './state-check.js';
import { checkMail } from './mail-check.js';
import { checkStatements } from './statement-check.js';
import { within } from './within.js';

/** What a verified bundle establishes. */
export interface VerifiedBundle {
  readonly imvu: string;
  readonly files: number;
  readonly bytes: number;
  readonly entries: number;
  readonly head: string;
  readonly checkpointSize: string;
  /** `given`: checked against the root the caller handed in; `bundled`: only against the bundle's own. */
  readonly trust: 'given' | 'bundled';
  readonly manifestSignedBy: readonly string[];
  /** The owner keys (from imvu/record.json) that countersigned the manifest; empty if none did. */
  readonly countersignedBy: readonly string[];
  /** Statements recomputed from their entries and found equal to the signed ones. */
  readonly statements: number;
  /** With the `keep` option: the content of each member it named, as verified (listed in the signed manifest with this digest). */
  readonly kept?: ReadonlyMap<string, Uint8Array>;
  /** With the `spill` option: the sink's name each spilled member went to, by path, as verified. */
  readonly spilled?: ReadonlyMap<string, string>;
}

/** How to verify: where worker threads take over, and how many. */
export interface VerifyBundleOptions {
  /** Chains of this many entries or more are checked on worker threads (default 4096); the verdict is the same either way. */
  readonly parallelFrom?: number;
  /** Worker threads; default os.availableParallelism(). */
  readonly threads?: number;
  /** Entries per worker batch (default 1024). */
  readonly batch?: number;
  /**
   * Start on the chain while the archive is still being read (default true), when the head
   * proof comes before it; false waits for the whole archive. The verdict is the same either way.
   */
  readonly stream?: boolean;
  /**
   * Members whose content to hand back in `kept` (small ones: each is held in memory), so a
   * caller that needs a few of them (an importer, the sealed secrets) reads the archive once,
   * and uses exactly the bytes that verified.
   */
  readonly keep?: (path: string) => boolean;
  /**
   * Members to write to a sink as they stream, instead of holding them (an importer's VM
   * disks, of many GiB), so the archive is read once. Never a member verification reads
   * itself. Each appears in `spilled` once the bundle verified; if it does not, every sink
   * given is aborted (a sink whose member failed midway may be aborted twice), so nothing
   * spilled outlives a bundle the verifier refused. Once it returns, the files are the caller's.
   */
  readonly spill?: (path: string) => MemberSink | undefined;
}

/** Step 2: the manifest's shape, with its signature not yet trusted. */
function readManifest(bytes: Uint8Array): { envelope: unknown; manifest: ExitBundleManifest } {
  return within(MANIFEST_PATH, () => {
    let envelope: { payloadType?: unknown; payload?: unknown };
    let manifest: unknown;
    try {
      envelope = JSON.parse(fromUtf8(bytes)) as typeof envelope;
      if (envelope.payloadType !== EXIT_BUNDLE_MANIFEST_MEDIA_TYPE || typeof envelope.payload !== 'string') throw new Error('not a manifest envelope');
      manifest = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    } catch (cause) {
      throw fail('BUNDLE_MANIFEST_INVALID', 'not a DSSE envelope of an exit bundle manifest', '', cause);
    }
    try {
      assertExitBundleManifestV1(manifest);
    } catch (cause) {
      throw fail('BUNDLE_MANIFEST_INVALID', 'the manifest does not match its schema', '/payload', cause);
    }
    return { envelope, manifest };
  });
}

/** Step 3: every member listed with its size and digest, in archive order; then nothing listed is missing. */
function checkListing(members: readonly Member[], manifest: ExitBundleManifest): void {
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  if (listed.size !== manifest.files.length) throw fail('BUNDLE_MANIFEST_INVALID', 'the manifest lists a path twice', `${MANIFEST_PATH}#/payload/files`);
  for (const m of members) {
    if (m.path === MANIFEST_PATH) continue;
    const f = listed.get(m.path);
    if (f === undefined) throw fail('BUNDLE_FILE_UNLISTED', 'member is not in the manifest', m.path);
    if (f.size !== String(m.size)) throw fail('BUNDLE_SIZE_MISMATCH', `member has ${m.size} bytes, the manifest lists ${f.size}`, m.path);
    if (f.sha256 !== m.sha256) throw fail('BUNDLE_DIGEST_MISMATCH', 'member SHA-256 differs from the manifest', m.path);
    listed.delete(m.path);
  }
  const [missing] = listed.keys();
  if (missing !== undefined) throw fail('BUNDLE_FILE_MISSING', 'the manifest lists a file the archive does not hold', missing);
}

/** Step 6: the manifest is signed by a trusted key and anchored to the checkpoint the ledger proved. */
function trustManifest(envelope: unknown, manifest: ExitBundleManifest, root: LoadedTrustedRoot, ledger: Awaited<ReturnType<typeof checkLedger>>): readonly string[] {
  const { verified } = within(MANIFEST_PATH, () => openJsonEnvelope(envelope, { trusted: root.keys, payloadType: EXIT_BUNDLE_MANIFEST_MEDIA_TYPE }));
  const a = manifest.anchor;
  const head = ledger.head;
  if (manifest.imvu !== head.chain) throw fail('BUNDLE_MANIFEST_INVALID', `the manifest is for ${manifest.imvu}, the ledger for ${head.chain}`, `${MANIFEST_PATH}#/payload/imvu`);
  if (a.treeSize !== head.checkpoint.size.toString() || a.imvuHead.seq !== head.seq.toString() || a.imvuHead.head !== head.head) {
    throw fail('BUNDLE_MANIFEST_INVALID', 'the manifest anchor is not the checkpoint and head the ledger proves', `${MANIFEST_PATH}#/payload/anchor`);
  }
  return verified.signedBy;
}

/**
 * Verifies an exit bundle offline (spec/exit-bundle.md §4), streaming: only the small files
 * verification reads are held, the rest is hashed as it passes. `trusted` is the verifier's
 * own trusted root; without it the bundle's `trusted-root.json` is used and the report says so.
 */
export async function verifyExitBundle(source: ByteSource, trusted?: LoadedTrustedRoot, opts: VerifyBundleOptions = {}): Promise<VerifiedBundle> {
  const members: Member[] = [];
  const files = new Map<string, Uint8Array>();
  let started: StreamedChain | undefined;
  const watch = (path: string, array: Uint8Array): StreamedChain | undefined => {
    if (path === CHAIN_PATH && opts.stream !== false) started = startChain(array, files, trusted, opts);
    return path === CHAIN_PATH ? started : undefined;
  };
  const sinks: [string, MemberSink][] = [];
  const given = opts.spill;
  const spill = given === undefined ? undefined : (path: string): MemberSink | undefined => {
    const sink = needsContent(path) ? undefined : given(path);
    if (sink !== undefined) sinks.push([path, sink]);
    return sink;
  };
  try {
    for await (const m of readMembers(source, opts.keep, spill, watch)) {
      members.push({ path: m.path, size: m.size, sha256: m.sha256 });
      if (m.bytes !== undefined) files.set(m.path, m.bytes);
    }
    const verified = await verifyRead(members, files, trusted, { ...opts, ...(started === undefined ? {} : { started }) });
    return spill === undefined ? verified : { ...verified, spilled: new Map(sinks.map(([path, sink]) => [path, sink.name])) };
  } catch (e) {
    // Every sink, whatever one of them throws: the refusal is what the caller hears.
    for (const [, sink] of sinks) {
      try {
        sink.abort();
      } catch {
        // Dropping a spilled file failed; the refusal still stands and is reported.
      }
    }
    throw e;
  } finally {
    await started?.close();
  }
}

/**
 * The chain's head start (StreamedChain), when what it needs came before the chain: the head
 * proof, and the trusted root (the caller's or the bundle's own). Anything amiss here is left
 * for the checks after the read to report in its place: this only ever declines.
 */
function startChain(array: Uint8Array, files: ReadonlyMap<string, Uint8Array>, trusted: LoadedTrustedRoot | undefined, opts: VerifyBundleOptions): StreamedChain | undefined {
  const proof = files.get(HEAD_PROOF_PATH);
  const bundled = files.get(TRUSTED_ROOT_PATH);
  if (proof === undefined || (trusted === undefined && bundled === undefined)) return undefined;
  try {
    const root = trusted ?? loadTrustedRoot(parseCanonicalJsonArtifact(bundled as Uint8Array));
    const head = verifyHeadProof(JSON.parse(fromUtf8(proof)), root);
    if (head.seq + 1n < BigInt(Math.min(Number.MAX_SAFE_INTEGER, opts.parallelFrom ?? PARALLEL_MIN_ENTRIES))) return undefined;
    return StreamedChain.start(array, head, root, { ...(opts.threads === undefined ? {} : { threads: opts.threads }), ...(opts.batch === undefined ? {} : { batch: opts.batch }) });
  } catch {
    return undefined;
  }
}

/** Steps 2 to 9 of spec/exit-bundle.md §4, on the members as read (step 1). */
async function verifyRead(members: readonly Member[], files: ReadonlyMap<string, Uint8Array>, trusted: LoadedTrustedRoot | undefined, opts: VerifyBundleOptions & { readonly started?: StreamedChain }): Promise<VerifiedBundle> {
  const manifestBytes = files.get(MANIFEST_PATH);
  if (manifestBytes === undefined) throw fail('BUNDLE_FILE_MISSING', 'the archive has no manifest', MANIFEST_PATH);
  const { envelope, manifest } = readManifest(manifestBytes);
  checkListing(members, manifest);
  const root = trusted ?? within(TRUSTED_ROOT_PATH, () => {
    const b = files.get(TRUSTED_ROOT_PATH);
    if (b === undefined) throw fail('BUNDLE_FILE_MISSING', 'no trusted root given and none in the bundle', '');
    return loadTrustedRoot(parseCanonicalJsonArtifact(b));
  });
  // Each entry's key periods (step 6a) are checked on the way, reported in their place below.
  const ledger = await checkLedger(files, root, { ...opts, ...(root.periods.size === 0 ? {} : { periods: { byKey: root.periods, exported: manifest.createdAt } }) });
  const manifestSignedBy = trustManifest(envelope, manifest, root, ledger);
  checkKeyPeriods(root, ledger, manifest, manifestSignedBy);
  const paths = members.map((m) => m.path);
  checkState(paths, files, new Map(members.map((m) => [m.path, m.sha256])), ledger);
  checkMail(members, files, ledger);
  const statements = checkStatements(files, ledger, root);
  const countersignedBy = checkCountersignature(envelope, files);
  const keep = opts.keep;
  return {
    imvu: manifest.imvu, files: members.length, bytes: members.reduce((n, m) => n + m.size, 0), entries: ledger.count,
    head: ledger.head.head, checkpointSize: ledger.head.checkpoint.size.toString(), trust: trusted === undefined ? 'bundled' : 'given', manifestSignedBy, countersignedBy, statements,
    ...(keep === undefined ? {} : { kept: new Map([...files].filter(([path]) => keep(path))) }),
  };
}
