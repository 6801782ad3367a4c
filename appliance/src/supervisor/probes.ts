import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * True once `host:port` accepts a connection and greets with an SMTP 220 banner within
 * `timeoutMs`. Reading the banner (not just connecting) tells a live server from a
 * half-started one.
 */
export function smtpBanner(host: string, port: number, timeoutMs = 1_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let text = '';
    const done = (banner: string | undefined): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      if (banner !== undefined) socket.end('QUIT\r\n');
      socket.destroy();
      resolve(banner);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const line = text.split('\r\n', 1)[0] ?? '';
      if (text.includes('\r\n')) done(line.startsWith('220') ? line : undefined);
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}

/**
 * Polls `probe` every `intervalMs` until it returns true, `deadlineMs` pass, or `gone`
 * settles (the process died). Returns whether the probe succeeded.
 */
export async function pollUntil(probe: () => Promise<boolean>, deadlineMs: number, gone: Promise<unknown>, intervalMs = 100): Promise<boolean> {
  let dead = false;
  void gone.then(() => {
    dead = true;
  });
  const end = Date.now() + deadlineMs;
  while (!dead && Date.now() < end) {
    if (await probe().catch(() => false)) return !dead;
    await sleep(intervalMs);
  }
  return false;
}
