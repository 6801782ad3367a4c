// The real stack listening on a loopback port, an owner with an IMVU, and the exit request
// as a client sends it: signed, over a real socket, the body read as it streams.
import type { Test } from 'tap';
import { LEGAL_HOLD_MEDIA_TYPE, signJsonSync, signRequest, type Envelope, type Signer, type SyncSigner } from '@nexus-cos/sdk';
import { request } from 'undici';
import type { BundleSection } from '../../../appliance/src/exit/section.js';
import { createImvu, key, register, stack, type Stack } from '../http/harness.js';

export const owner = key(21);
export const stranger = key(22);

export interface Listening {
  readonly s: Stack;
  readonly url: string;
  readonly id: string;
}

/** The stack on 127.0.0.1 (port 0), with `owner` and `stranger` registered and one IMVU. */
export async function listening(t: Test, extraSections: readonly BundleSection[] = []): Promise<Listening> {
  const s = await stack({ extraSections });
  t.teardown(() => s.close());
  await register(s.app, owner);
  await register(s.app, stranger);
  const id = await createImvu(s.app, owner);
  const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
  return { s, url, id };
}

/** What came back from an exit request: status, headers and the whole body. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** POST /v1/imvus/:id/exit signed by `signer`, over the socket. */
export async function requestExit(l: Listening, signer: Signer, gzip = false): Promise<Answer> {
  const path = `/v1/imvus/${l.id}/exit${gzip ? '?gzip=1' : ''}`;
  const authorization = await signRequest(signer, { method: 'POST', path, body: new Uint8Array(0) });
  const res = await request(`${l.url}${path}`, { method: 'POST', headers: { authorization } });
  const chunks: Buffer[] = [];
  for await (const c of res.body) chunks.push(c as Buffer);
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
}

/** A LegalHold for `imvu` signed by `signer`. */
export function holdEnvelope(signer: SyncSigner, imvu: string, reason: string): Envelope {
  return signJsonSync(LEGAL_HOLD_MEDIA_TYPE, { imvu, reason, time: new Date().toISOString() }, [signer]);
}
