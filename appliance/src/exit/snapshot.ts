import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileChunks, sha256, toHex, type BundleSource } from '@nexus-cos/sdk';

/** A file frozen for the bundle: where the private copy is, and its size and digest. */
export interface FrozenFile {
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * A private directory (0700) of copies taken when a section lists its files, so the size a
 * tar header declares is the size streamed even if the live file changes meanwhile (a
 * message flagged, a disk written). Disposed when the section is done.
 */
export class Snapshot {
  #n = 0;
  private constructor(readonly dir: string) {}

  /** A new snapshot directory under `root` (the OS temp directory by default). */
  static async create(root: string = tmpdir()): Promise<Snapshot> {
    return new Snapshot(await mkdtemp(join(root, 'nexus-exit-')));
  }

  /** A fresh path inside the snapshot, for a copy a port writes itself (a flattened disk). */
  path(suffix: string): string {
    return join(this.dir, `${this.#n++}${suffix}`);
  }

  /** Copies a small file (one mail message) and returns its bytes with the frozen copy. */
  async copy(src: string): Promise<{ frozen: FrozenFile; bytes: Buffer }> {
    const bytes = await readFile(src);
    const file = this.path('.msg');
    await writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
    return { frozen: { file, size: bytes.length, sha256: toHex(sha256(bytes)) }, bytes };
  }

  /** Appends to a snapshot file built piece by piece (an mbox). */
  async append(file: string, bytes: Uint8Array): Promise<void> {
    await appendFile(file, bytes, { mode: 0o600 });
  }

  /** Removes the snapshot and everything in it. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A bundle source over a frozen file: size from the snapshot, content streamed on demand. */
export async function frozenSource(path: string, mediaType: string, file: string): Promise<BundleSource> {
  const { size } = await stat(file);
  return {
    path, mediaType, size,
    open: async function* () {
      yield* fileChunks(file);
    },
  };
}
