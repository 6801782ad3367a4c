import { generateKeyPair } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeName } from '../domain/gates/rules/names.js';
import { NexusError } from '@nexus-cos/sdk';

/** A domain's DKIM key: the PEM private key and the base64 DER public key for its TXT record. */
export interface DkimKey {
  readonly selector: string;
  readonly privatePem: string;
  readonly publicKey: string;
}

/** A fresh RSA-2048 key (the interoperable default, RFC 8301) under a dated selector. */
export function generateDkimKey(now: Date): Promise<DkimKey> {
  const selector = `nx${now.toISOString().slice(0, 10).replaceAll('-', '')}`;
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (err, pub, priv) => {
      if (err !== null) reject(err);
      else resolve({ selector, privatePem: priv, publicKey: pub.toString('base64') });
    });
  });
}

/** The folder of a domain's key: `<root>/<domain>`, the domain checked so it cannot escape. */
export function dkimDir(root: string, domain: string): string {
  const d = normalizeName(domain);
  if (d === undefined || d !== domain || d.includes('*')) throw new NexusError('INPUT_INVALID', 'not a canonical domain name', { field: '/domain' });
  return join(root, d);
}

/** Writes `private` (0600) and `selector` where the Haraka plugin reads them. */
export function writeDkimKey(root: string, domain: string, key: DkimKey): void {
  const dir = dkimDir(root, domain);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'private'), key.privatePem, { mode: 0o600 });
  writeFileSync(join(dir, 'selector'), `${key.selector}\n`, { mode: 0o600 });
}

/** Removes a domain's key (undo of a failed enable). */
export function removeDkimKey(root: string, domain: string): void {
  rmSync(dkimDir(root, domain), { recursive: true, force: true });
}
