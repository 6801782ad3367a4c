import { connect, type Socket } from 'node:net';
import type { ChannelReply, ChannelRequest } from '../../appliance/src/mail/channel/protocol.js';

/** A request without its id (the client numbers them). */
export type Question = ChannelRequest extends infer R ? (R extends ChannelRequest ? Omit<R, 'id'> : never) : never;

/** What the plugin answers when the appliance cannot decide: retry later, never accept. */
export const UNREACHABLE = { ok: false, code: 451, status: '4.3.0', text: 'mail policy temporarily unavailable; try again later' } as const;

/**
 * The client side of the decision channel: one unix-socket connection, reopened on demand,
 * many questions in flight. A question that meets a closed socket, a timeout or a garbled
 * reply resolves to UNREACHABLE, so the caller always has an SMTP answer to give.
 */
export class ChannelClient {
  #socket: Socket | undefined;
  #buf = '';
  #next = 1;
  readonly #pending = new Map<number, { resolve: (r: ChannelReply) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly path: string, private readonly timeoutMs: number) {}

  ask(q: Question): Promise<ChannelReply> {
    const id = this.#next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#settle(id, { id, ...UNREACHABLE }), this.timeoutMs);
      this.#pending.set(id, { resolve, timer });
      this.#open().write(`${JSON.stringify({ ...q, id })}\n`);
    });
  }

  /** Closes the connection; questions still waiting resolve to UNREACHABLE. */
  close(): void {
    this.#socket?.destroy();
  }

  #open(): Socket {
    if (this.#socket !== undefined && !this.#socket.destroyed) return this.#socket;
    const s = connect(this.path);
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => this.#read(chunk));
    s.on('error', () => s.destroy());
    s.on('close', () => {
      if (this.#socket === s) this.#socket = undefined;
      this.#buf = '';
      for (const id of [...this.#pending.keys()]) this.#settle(id, { id, ...UNREACHABLE });
    });
    this.#socket = s;
    return s;
  }

  #read(chunk: string): void {
    this.#buf += chunk;
    let nl: number;
    while ((nl = this.#buf.indexOf('\n')) >= 0) {
      const line = this.#buf.slice(0, nl);
      this.#buf = this.#buf.slice(nl + 1);
      const r = parseReply(line);
      if (r !== undefined) this.#settle(r.id, r);
    }
  }

  #settle(id: number, r: ChannelReply): void {
    const p = this.#pending.get(id);
    if (p === undefined) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(r);
  }
}

/** A reply line, or undefined when it is not one (the question then times out to tempfail). */
function parseReply(line: string): ChannelReply | undefined {
  try {
    const r = JSON.parse(line) as Partial<ChannelReply> & Record<string, unknown>;
    if (typeof r.id !== 'number') return undefined;
    if (r.ok === true) return r as ChannelReply;
    if (r.ok === false && typeof r.code === 'number' && r.code >= 400 && r.code < 600 && typeof r.status === 'string' && typeof r.text === 'string') return r as ChannelReply;
    return undefined;
  } catch {
    return undefined;
  }
}
