import { constants } from 'node:buffer';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { sha256Stream } from '../crypto/sha256-stream.js';
import { fail, isNexusError } from '../errors/index.js';
import { MANIFEST_PATH, isBundlePath, needsContent, sharedContent } from './layout.js';

/** One archive member as read: its name, size and digest, and its bytes when verification needs them. */
export interface Member {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly bytes?: Uint8Array;
  /** The sink's name its content went to, when the caller gave one (`spill`). */
  readonly file?: string;
}

/** Any byte source the caller has: chunks in memory or a stream. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

async function* asAsync(source: ByteSource): AsyncGenerator<Uint8Array> {
  yield* source;
}

/** Re-emits `source`, inflating it when it starts with the gzip magic `1f 8b` (RFC 1952). */
async function* maybeGunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) return;
  const rest = (async function* () {
    yield first.value;
    for (let r = await it.next(); r.done !== true; r = await it.next()) yield r.value;
  })();
  if (first.value[0] !== 0x1f || first.value[1] !== 0x8b) {
    yield* rest;
    return;
  }
  yield* Readable.from(rest).pipe(createGunzip()) as AsyncIterable<Uint8Array>;
}

function checkHeader(h: Header, seen: Set<string>, afterManifest: boolean): string {
  const path = h.name;
  if (h.type !== 'file') throw fail('BUNDLE_ENTRY_INVALID', `member is a ${h.type ?? 'non-file'}, not a regular file`, path);
  if (!isBundlePath(path)) throw fail('BUNDLE_ENTRY_INVALID', 'member name is absolute, traverses, or leaves the bundle path grammar', path);
  if (afterManifest) throw fail('BUNDLE_ENTRY_INVALID', `member follows ${MANIFEST_PATH}, which must be last`, path);
  if (seen.has(path)) throw fail('BUNDLE_ENTRY_DUPLICATE', 'member appears twice', path);
  seen.add(path);
  return path;
}

/**
 * Where a member's content goes instead of memory (a VM disk of many GiB): the caller's
 * sink, typically a new file. The SDK opens no file itself, so its verifier stays free of
 * filesystem access.
 */
export interface MemberSink {
  /** What the member's `file` reports (the sink's file name). */
  readonly name: string;
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<void>;
  /** The read failed midway, or (after end) the bundle was refused: drop what was written. May be called again, and must then do nothing. */
  abort(): void;
}

/**
 * Where a kept member's content is copied as it streams: one array of the size its header
 * declares (in shared memory when verify workers will read it in place), so a member is never
 * held twice, as chunks and then joined. The declared size costs nothing up front: the kernel
 * backs the pages only as they are written, so an archive that declares more than it holds
 * (and fails as truncated) never makes the reader resident for it.
 */
class Keeper {
  readonly #out: Uint8Array;
  #at = 0;

  constructor(size: number, shared: boolean, path: string) {
    if (size > constants.MAX_LENGTH) throw fail('BUNDLE_ARCHIVE_INVALID', `member declares ${size} bytes, more than one array holds (${constants.MAX_LENGTH})`, path);
    this.#out = new Uint8Array(shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  }

  add(chunk: Uint8Array, path: string): void {
    if (this.#at + chunk.length > this.#out.length) throw fail('BUNDLE_ARCHIVE_INVALID', 'member is longer than its header says', path);
    this.#out.set(chunk, this.#at);
    this.#at += chunk.length;
  }

  /** The array the content lands in, and how much of it has arrived. */
  get array(): Uint8Array {
    return this.#out;
  }

  get filled(): number {
    return this.#at;
  }

  bytes(path: string): Uint8Array {
    if (this.#at !== this.#out.length) throw fail('BUNDLE_ARCHIVE_INVALID', 'member is shorter than its header says', path);
    return this.#out;
  }
}

/** A failure of the caller's sink (a full disk): the reader's own, so it reaches the caller as it was, not worded as a bad archive. */
class SinkFailure {
  constructor(readonly cause: unknown) {}
}

const bySink = async <T>(step: () => T | Promise<T>): Promise<T> => {
  try {
    return await step();
  } catch (e) {
    throw new SinkFailure(e);
  }
};

/**
 * Told as a kept member's content arrives: `feed(filled)` after each chunk (the first `filled`
 * bytes of the array `watch` was given are in place), `end()` once it is complete.
 */
export interface ArrivalWatcher {
  feed(filled: number): void;
  end(): void;
}

/**
 * Streams the members of a bundle archive, checking each header before its content is read:
 * regular files only, names in the bundle grammar, no duplicate, nothing after the manifest.
 * Content is hashed as it passes; only what `needsContent` names is kept, and what `keep`
 * names (an importer reads the mail section's files). A member `spill` gives a sink is
 * written there instead (a VM disk of many GiB), so memory stays flat; a failure of `spill`
 * or of a sink is thrown as it was (it says nothing about the archive). `watch` may follow a
 * kept member's array as it fills (a verifier starts on the chain before the archive ends).
 */
export async function* readMembers(
  source: ByteSource,
  keepAlso: (path: string) => boolean = () => false,
  spill: (path: string) => MemberSink | undefined = () => undefined,
  watch: (path: string, array: Uint8Array) => ArrivalWatcher | undefined = () => undefined,
): AsyncGenerator<Member> {
  const ex = extract();
  const input = Readable.from(maybeGunzip(asAsync(source)));
  input.on('error', (e) => ex.destroy(e));
  input.pipe(ex);
  const seen = new Set<string>();
  let afterManifest = false;
  try {
    for await (const entry of ex) {
      const path = checkHeader(entry.header, seen, afterManifest);
      afterManifest = path === MANIFEST_PATH;
      const h = sha256Stream();
      const out = await bySink(() => spill(path));
      const keep = out === undefined && (needsContent(path) || keepAlso(path)) ? new Keeper(entry.header.size, sharedContent(path), path) : undefined;
      const watcher = keep === undefined ? undefined : watch(path, keep.array);
      let size = 0;
      try {
        for await (const chunk of entry as AsyncIterable<Uint8Array>) {
          h.update(chunk);
          size += chunk.length;
          if (keep !== undefined) {
            keep.add(chunk, path);
            watcher?.feed(keep.filled);
          }
          if (out !== undefined) await bySink(() => out.write(chunk));
        }
        if (out !== undefined) await bySink(() => out.end());
        watcher?.end();
      } catch (e) {
        out?.abort();
        throw e;
      }
      yield { path, size, sha256: h.hex(), ...(keep === undefined ? {} : { bytes: keep.bytes(path) }), ...(out === undefined ? {} : { file: out.name }) };
    }
  } catch (e) {
    if (e instanceof SinkFailure) throw e.cause;
    if (isNexusError(e)) throw e;
    throw fail('BUNDLE_ARCHIVE_INVALID', `not a readable tar archive: ${e instanceof Error ? e.message : String(e)}`, undefined, e);
  } finally {
    input.destroy();
    ex.destroy();
  }
}
