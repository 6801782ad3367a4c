import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import type { MemberSink } from '@nexus-cos/sdk';

/**
 * A stream of bytes written to a new file (never over one: `wx`), 0600, waiting when the disk
 * lags behind the reader, and removed if the stream fails: how an upload (http/body.ts) and
 * an import's VM disks (import/bundle.ts) are staged without being held in memory.
 */
export class FileSink implements MemberSink {
  readonly #out: WriteStream;
  readonly #failed: Promise<never>;

  constructor(readonly name: string) {
    this.#out = createWriteStream(name, { flags: 'wx', mode: 0o600 });
    this.#failed = new Promise<never>((_, reject) => this.#out.once('error', reject));
    this.#failed.catch(() => undefined);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.#out.write(chunk)) await Promise.race([once(this.#out, 'drain'), this.#failed]);
  }

  async end(): Promise<void> {
    await Promise.race([new Promise<void>((resolve) => this.#out.end(resolve)), this.#failed]);
  }

  abort(): void {
    this.#out.destroy();
    rmSync(this.name, { force: true });
  }
}
