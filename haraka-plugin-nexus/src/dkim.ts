import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The headers we sign (RFC 6376 §5.4.1's recommendations); From is the one DMARC needs.
const SIGNED = ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'reply-to', 'mime-version', 'content-type', 'content-transfer-encoding'];

/**
 * The value of a DKIM-Signature header (after `DKIM-Signature: `) for `message`, signed with
 * `<dkimDir>/<domain>/private`. `domain` comes from the appliance, which only ever names a
 * canonical, enabled domain, so the path stays under dkimDir.
 */
export async function dkimSignature(message: Buffer, dkimDir: string, domain: string, selector: string): Promise<string> {
  const privateKey = readFileSync(join(dkimDir, domain, 'private'), 'utf8');
  // Loaded on first use: requiring mailauth takes 0.2–1.7 s here, which would delay every
  // Haraka start (and the supervisor's readiness deadline) even when nobody sends mail.
  const { dkimSign } = await import('mailauth');
  const one = { signingDomain: domain, selector, privateKey, algorithm: 'rsa-sha256', canonicalization: 'relaxed/relaxed', headerList: SIGNED };
  // mailauth 4.13 signs only what is in `signatureData` (its typings also ask for the top level).
  const { signatures, errors } = await dkimSign(message, { ...one, signatureData: [one] });
  if ((errors !== null && errors.length > 0) || !/^DKIM-Signature:/i.test(signatures)) throw new Error(`DKIM signing failed: ${String(errors?.[0] ?? 'no signature')}`);
  // Unfolded to one line (under 998 octets for RSA-2048): whitespace inside tags is ignored
  // by verifiers (RFC 6376 §3.2), and Haraka then writes the header as one plain line.
  return signatures.replace(/^DKIM-Signature:\s*/i, '').replace(/\r?\n$/, '').replace(/\r?\n[ \t]+/g, ' ');
}
