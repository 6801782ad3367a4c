import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError } from '@nexus-cos/sdk';
import type { CommandRunner } from '../ports/command-runner.js';

/** The certificate Haraka offers STARTTLS with; AUTH is offered only under TLS. */
export interface MailTls {
  readonly keyPem: string;
  readonly certPem: string;
}

// A host name as it may appear in a certificate's subject and SAN (it reaches openssl's argv).
const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * The mail TLS key and certificate in `dir` (`key.pem` 0600, `cert.pem`), made once as a
 * self-signed P-256 certificate for `host` when absent. An owner who has a real certificate
 * replaces both files; they are never overwritten. Self-signed is what Mail-in-a-Box
 * starts with too: submission clients must be told to accept it, while SMTP between MTAs
 * is opportunistic TLS and accepts it as is.
 */
export async function ensureMailTls(dir: string, host: string, runner: CommandRunner): Promise<MailTls> {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  if (!existsSync(key) || !existsSync(cert)) {
    if (!HOST.test(host)) throw new NexusError('CONFIG_INVALID', `not a host name for the mail certificate: ${JSON.stringify(host)}`, { field: '/hostname' });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written under temporary names and renamed, so a crash never leaves a key without its certificate.
    const [k, c] = [`${key}.new`, `${cert}.new`];
    await runner.run([
      'openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-days', '3650', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-keyout', k, '-out', c,
    ]);
    chmodSync(k, 0o600);
    renameSync(c, cert);
    renameSync(k, key);
  }
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
}
