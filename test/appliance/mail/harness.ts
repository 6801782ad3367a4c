import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { SqliteMailDirectory } from '../../../appliance/src/adapters/sqlite/mail-directory.js';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import type { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { MailAuthority, MailChannelServer, MailProvisioning } from '../../../appliance/src/mail/index.js';
import type { MailDnsPublisher } from '../../../appliance/src/ports/mail-dns.js';
import type { RRset } from '../../../appliance/src/domain/dns/types.js';
import { harakaSpec } from '../../../appliance/src/supervisor/haraka.js';
import { locateHaraka, smtpBanner } from '../../../appliance/src/supervisor/index.js';
import { openLedger, tempDb } from '../../helpers/ledger.js';
import { eventually, freePort } from '../../helpers/ports.js';

/** A message the stand-in remote MX received. */
export interface Received {
  readonly from: string;
  readonly to: string[];
  readonly data: Buffer;
}

/** A real Haraka running haraka-plugin-nexus, its appliance side, and a remote MX. */
export interface MailRig {
  readonly dir: string;
  readonly port: number;
  readonly mailRoot: string;
  readonly ledger: Ledger;
  readonly directory: SqliteMailDirectory;
  readonly provisioning: MailProvisioning;
  readonly remote: Received[];
  readonly socket: string;
  /** Haraka's log lines so far (for failure messages). */
  readonly logs: readonly string[];
  /** Stops answering on the decision socket (the appliance is "down"). */
  stopChannel(): Promise<void>;
  startChannel(): Promise<void>;
  stop(): Promise<void>;
}

/** A publisher that keeps RRsets in memory, for rigs whose test is not about DNS. */
export function memoryPublisher(): MailDnsPublisher & { readonly zone: Map<string, RRset> } {
  const zone = new Map<string, RRset>();
  return {
    zone,
    read: (_d, keys) => Promise.resolve(keys.flatMap((k) => zone.get(`${k.name}/${k.type}`) ?? [])),
    publish(_d, changes) {
      for (const c of changes) {
        if ('delete' in c) zone.delete(`${c.name}/${c.type}`);
        else zone.set(`${c.name}/${c.type}`, c);
      }
      return Promise.resolve();
    },
  };
}

/** A self-signed certificate for STARTTLS (Haraka offers AUTH only under TLS). */
async function selfSigned(runner: ExecaRunner, dir: string): Promise<{ keyPem: string; certPem: string }> {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await runner.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=mx.test', '-days', '2', '-keyout', key, '-out', cert]);
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
}

/** Starts the stand-in remote MX: accepts everything and keeps it. */
async function remoteMx(received: Received[]): Promise<{ port: number; server: SMTPServer }> {
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

/**
 * Starts everything a mail test needs, each piece real: the mail directory (SQLite), the
 * ledger, the decision channel on a unix socket, Haraka with the plugin, a remote MX.
 * `opts.publisher` defaults to an in-memory zone.
 */
export async function startMailRig(opts: { publisher?: MailDnsPublisher } = {}): Promise<MailRig> {
  const runner = new ExecaRunner();
  const dir = mkdtempSync(join(tmpdir(), 'nx-mail-'));
  const mailRoot = join(dir, 'maildirs');
  const dkimDir = join(dir, 'dkim');
  mkdirSync(mailRoot);
  const ledger = openLedger(tempDb());
  const directory = new SqliteMailDirectory(join(dir, 'mail.sqlite'));
  const clock = { now: () => new Date() };
  const provisioning = new MailProvisioning({ directory, dns: opts.publisher ?? memoryPublisher(), clock, dkimDir, mxHost: 'mx.example.net' });
  const authority = new MailAuthority({ directory, ledger, clock, mailRoot });
  const socket = join(dir, 'mail.sock');
  let channel = new MailChannelServer(authority);
  await channel.listen(socket);
  const remote: Received[] = [];
  const mx = await remoteMx(remote);
  const port = await freePort();
  const bin = locateHaraka();
  if (bin === undefined) throw new Error('Haraka is not installed');
  const spec = harakaSpec({
    dir: join(dir, 'haraka'), host: '127.0.0.1', port, hostname: 'mx.test', bin, node: process.execPath,
    mail: { socket, dkimDir, relay: `127.0.0.1:${mx.port}`, timeoutMs: 5000, tls: await selfSigned(runner, dir) },
  });
  await spec.prepare();
  const lines: string[] = [];
  const child = runner.spawn(spec.argv(), { onLine: (l) => lines.push(l) });
  const up = await eventually(() => smtpBanner('127.0.0.1', port).catch(() => undefined), 20_000);
  const stopHaraka = async () => {
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await child.exited;
    clearTimeout(t);
  };
  if (up === undefined) {
    await stopHaraka();
    throw new Error(`Haraka did not start:\n${lines.slice(-30).join('\n')}`);
  }
  return {
    dir, port, mailRoot, ledger, directory, provisioning, remote, socket, logs: lines,
    stopChannel: () => channel.close(),
    async startChannel() {
      channel = new MailChannelServer(authority);
      await channel.listen(socket);
    },
    async stop() {
      await stopHaraka();
      await channel.close();
      await new Promise<void>((resolve) => mx.server.close(() => resolve()));
      await ledger.close();
      directory.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
