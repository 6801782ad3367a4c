import { execFile } from 'node:child_process';
import { connect } from 'node:net';

/** What swaks did: its exit code (0 accepted, 23 MAIL refused, 24 RCPT refused, 26 DATA refused, 28 AUTH failed) and the server's last reply. */
export interface SwaksResult {
  readonly exit: number;
  /** The server's refusal (`553 5.7.1 …`), or else its last reply before QUIT. */
  readonly reply: string;
  readonly transcript: string;
}

/** Runs the real swaks client (Debian's) with argv, never a shell string. */
export function swaks(port: number, args: readonly string[]): Promise<SwaksResult> {
  return new Promise((resolve) => {
    execFile('swaks', ['--server', '127.0.0.1', '--port', String(port), '--timeout', '20', '--helo', 'client.test', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const transcript = `${stdout}${stderr}`;
      // swaks marks replies `<-` (`<~` under TLS) and refusals `<**` (`<~*`).
      const lines = transcript.split('\n');
      const refusals = lines.filter((l) => /^<(\*\*|~\*) +\d{3} /.test(l));
      const replies = lines.filter((l) => /^<(-|~) +\d{3} /.test(l) && !/^<(-|~) +221 /.test(l));
      const exit = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ exit, reply: (refusals.at(-1) ?? replies.at(-1) ?? '').replace(/^<\S+ +/, ''), transcript });
    });
  });
}

/** swaks arguments to authenticate as `user` over STARTTLS. */
export const authAs = (user: string, password: string): string[] => ['--tls', '--auth', 'PLAIN', '--auth-user', user, '--auth-password', password];

/**
 * A hand-driven SMTP session, for what no client does on purpose: pause between RCPT and
 * DATA (while the appliance goes down). Each `send` returns the complete reply.
 */
export async function rawSession(port: number): Promise<{ send(line: string): Promise<string>; close(): void }> {
  const s = connect(port, '127.0.0.1');
  s.setEncoding('utf8');
  let buf = '';
  let waiter: (() => void) | undefined;
  s.on('data', (c: string) => {
    buf += c;
    waiter?.();
  });
  const reply = () => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no SMTP reply; have: ${buf}`)), 20_000);
    const check = () => {
      const m = /(?:^|\n)(\d{3}) [^\n]*\r?\n$/.exec(buf);
      if (m === null) return;
      clearTimeout(timer);
      waiter = undefined;
      const r = buf.trim();
      buf = '';
      resolve(r);
    };
    waiter = check;
    check();
  });
  await reply(); // banner
  return {
    send(line) {
      s.write(`${line}\r\n`);
      return reply();
    },
    close: () => s.destroy(),
  };
}
