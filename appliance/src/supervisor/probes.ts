import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
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

/** Where to probe a service that listens on `host`: a wildcard address is probed on loopback. */
export function probeHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

/**
 * True once a DNS server on `host:port` answers (any RCODE: REFUSED is an answer) a UDP
 * query for the root SOA within `timeoutMs`. The control socket says knotd runs; only this
 * says it listens where clients reach it.
 */
export function dnsAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const id = randomBytes(2);
    // Header: id, flags 0 (a query, no recursion), 1 question; question: root, SOA, IN.
    const query = Buffer.concat([id, Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1])]);
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('message', (msg: Buffer) => {
      // Ours (same id) and a response (QR bit set); anything else is ignored.
      if (msg.length >= 12 && msg[0] === id[0] && msg[1] === id[1] && ((msg[2] ?? 0) & 0x80) !== 0) done(true);
    });
    socket.on('error', () => done(false));
    socket.send(query, port, host);
  });
}
