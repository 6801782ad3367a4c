import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { TEMPFAIL } from '../../domain/mail/index.js';
import type { Logger } from '../../ports/logger.js';
import type { MailAuthority } from '../authority.js';
import { parseRequest, requestId } from './parse.js';
import { MAX_LINE, type ChannelReply } from './protocol.js';

/**
 * Serves the decision channel on a unix socket (mode 0600: only the Haraka process, running
 * as the same user, may ask). Replies may leave out of order; each carries its request id.
 * A malformed request, or any failure inside the authority, is answered as a tempfail,
 * never as an acceptance.
 */
export class MailChannelServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(private readonly authority: MailAuthority, private readonly log?: Logger) {
    this.#server = createServer((s) => this.#serve(s));
  }

  /** Listens on `path` (a stale socket file from a previous run is removed first). */
  listen(path: string): Promise<void> {
    rmSync(path, { force: true });
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(path, () => {
        chmodSync(path, 0o600);
        resolve();
      });
    });
  }

  /** Stops listening and drops every client: their pending questions end in tempfail. */
  close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #serve(s: Socket): void {
    this.#sockets.add(s);
    s.on('close', () => this.#sockets.delete(s));
    s.on('error', () => s.destroy());
    s.setEncoding('utf8');
    let buf = '';
    s.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        void this.#answer(s, line);
      }
      if (buf.length > MAX_LINE) s.destroy();
    });
  }

  async #answer(s: Socket, line: string): Promise<void> {
    const req = parseRequest(line);
    let reply: ChannelReply;
    if (req === undefined) {
      // A request we cannot read is our own plugin's fault, not the sender's: retry later.
      reply = { id: requestId(line), ...TEMPFAIL };
    } else {
      try {
        reply = await this.authority.handle(req);
      } catch (e) {
        this.log?.error({ err: e, op: req.op }, 'mail decision failed');
        reply = { id: req.id, ...TEMPFAIL };
      }
    }
    if (!s.destroyed) s.write(`${JSON.stringify(reply)}\n`);
  }
}
