import { createHash } from 'node:crypto';

/** An incremental SHA-256, for files too large to hold: feed chunks, then read the hex digest once. */
export interface StreamingSha256 {
  update(chunk: Uint8Array): void;
  hex(): string;
}

/** A fresh incremental SHA-256 (OpenSSL, as `sha256`). */
export function sha256Stream(): StreamingSha256 {
  const h = createHash('sha256');
  return { update: (chunk) => void h.update(chunk), hex: () => h.digest('hex') };
}
