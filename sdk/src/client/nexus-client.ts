import { NexusError } from '../errors/index.js';
import type { Envelope } from '../schemas/envelope.js';
import { assertIdentityV1, type Identity } from '../schemas/identity.js';
import { assertImvuV1, type Imvu, type ImvuQuotas } from '../schemas/imvu.js';
import {
  assertConsistencyProofV1,
  assertInclusionProofV1,
  assertLedgerSliceV1,
  type ConsistencyProof,
  type InclusionProof,
  type LedgerSlice,
} from '../schemas/merkle.js';
import { assertTrustedRootV1, type TrustedRoot } from '../schemas/trusted-root.js';
import { assertImportReportV1, type ImportReport } from '../schemas/import-report.js';
import type { ImportSecrets } from '../schemas/import-secrets.js';
import { IMPORT_SECRETS_HEADER, encodeImportSecrets } from '../import/secrets-wire.js';
import type { NexusClientOptions } from './options.js';
import { DomainsClient } from './domains.js';
import { seg, sendJson } from './json.js';
import { jsonBody, textBody } from './response.js';
import { Transport, type FileBody } from './transport.js';
import { hashFile } from '../crypto/hash-file.js';
import { fromHex } from '../encoding/hex.js';
import type { CreateImvuBody, HealthReport, RegisterIdentityBody, UpdateImvuBody } from './types.js';


const index = (n: number, field: string): string => {
  if (!Number.isSafeInteger(n) || n < 0) throw new NexusError('INPUT_INVALID', `${field} must be a non-negative integer`, { field });
  return String(n);
};

/**
 * A typed client for one appliance's HTTP API (spec/requests.md). Every request is signed
 * by the configured signer over the exact bytes sent; a refusal arrives as a NexusError
 * with the server's documented code; every answer is checked against its v1 schema.
 */
export class NexusClient {
  readonly #t: Transport;
  /** The IMVU's domains and zones (spec/dns.md). */
  readonly domains: DomainsClient;

  constructor(opts: NexusClientOptions) {
    this.#t = new Transport(opts);
    this.domains = new DomainsClient(this.#t);
  }

  /** Registers the signer's key as an identity; the signature is the proof of possession. */
  registerIdentity(body: RegisterIdentityBody): Promise<Identity> {
    return this.#json('POST', '/v1/identities', body, assertIdentityV1);
  }

  /** Rotates the signer's key: `rotation` is a KeyRotation envelope by the old or a recovery key. */
  rotateKey(rotation: Envelope): Promise<Identity> {
    return this.#json('POST', '/v1/identities/rotate', { rotation }, assertIdentityV1);
  }

  /** Revokes the signer's key, with a reason. */
  revokeKey(reason: string): Promise<Identity> {
    return this.#json('POST', '/v1/identities/revoke', { reason }, assertIdentityV1);
  }

  /** Adds a recovery key (a did:key) to the signer's identity. */
  addRecoveryKey(recoveryKey: string): Promise<Identity> {
    return this.#json('POST', '/v1/identities/recovery', { recoveryKey }, assertIdentityV1);
  }

  /** Reads one identity by its did:key. */
  getIdentity(did: string): Promise<Identity> {
    return this.#json('GET', `/v1/identities/${seg(did)}`, undefined, assertIdentityV1);
  }

  /** Creates an IMVU owned by the signer. */
  createImvu(body: CreateImvuBody): Promise<Imvu> {
    return this.#json('POST', '/v1/imvus', body, assertImvuV1);
  }

  /** Lists the IMVUs the signer may see. */
  listImvus(): Promise<Imvu[]> {
    return this.#json('GET', '/v1/imvus', undefined, assertImvuList);
  }

  /** Reads one IMVU. */
  getImvu(id: string): Promise<Imvu> {
    return this.#json('GET', `/v1/imvus/${seg(id)}`, undefined, assertImvuV1);
  }

  /** Changes an IMVU's mutable fields (its jurisdiction). */
  updateImvu(id: string, patch: UpdateImvuBody): Promise<Imvu> {
    return this.#json('PATCH', `/v1/imvus/${seg(id)}`, patch, assertImvuV1);
  }

  /** Suspends an IMVU (operator); the reason becomes a signed notice in its log first. */
  suspendImvu(id: string, reason: string): Promise<Imvu> {
    return this.#json('POST', `/v1/imvus/${seg(id)}/suspend`, { reason }, assertImvuV1);
  }

  /** Resumes a suspended IMVU, with a reason. */
  resumeImvu(id: string, reason: string): Promise<Imvu> {
    return this.#json('POST', `/v1/imvus/${seg(id)}/resume`, { reason }, assertImvuV1);
  }

  /** Changes an IMVU's quotas; needs a reason (gate 12, no silent throttling). */
  changeQuota(id: string, quotas: ImvuQuotas, reason: string): Promise<Imvu> {
    return this.#json('POST', `/v1/imvus/${seg(id)}/quota`, { quotas, reason }, assertImvuV1);
  }

  /** Records a signed consent for a purpose. */
  grantConsent(id: string, purpose: string): Promise<Imvu> {
    return this.#json('POST', `/v1/imvus/${seg(id)}/consents`, { purpose }, assertImvuV1);
  }

  /** Withdraws the consent for a purpose. */
  withdrawConsent(id: string, purpose: string): Promise<Imvu> {
    return this.#json('DELETE', `/v1/imvus/${seg(id)}/consents/${seg(purpose)}`, undefined, assertImvuV1);
  }

  /** The IMVU's complete chain with the proof that a signed checkpoint commits its head. */
  getLedgerSlice(id: string): Promise<LedgerSlice> {
    return this.#json('GET', `/v1/imvus/${seg(id)}/ledger`, undefined, assertLedgerSliceV1);
  }

  /**
   * The appliance's trusted root. Fetching it over the network is trust on first use:
   * pin it, or compare its key with one obtained out of band, before relying on it.
   */
  getTrustedRoot(): Promise<TrustedRoot> {
    return this.#json('GET', '/v1/trusted-root', undefined, assertTrustedRootV1);
  }

  /** The latest signed checkpoint, as C2SP signed-note text. */
  async getCheckpoint(): Promise<string> {
    const r = await this.#t.send('GET', '/v1/checkpoint', undefined);
    return textBody('GET', '/v1/checkpoint', r);
  }

  /** An inclusion proof for the entry at `logIndex`, against the latest checkpoint. */
  getInclusionProof(logIndex: number): Promise<InclusionProof> {
    return this.#json('GET', `/v1/proofs/inclusion/${index(logIndex, '/logIndex')}`, undefined, assertInclusionProofV1);
  }

  /** A consistency proof between two checkpointed tree sizes. */
  getConsistencyProof(oldSize: number, newSize: number): Promise<ConsistencyProof> {
    const path = `/v1/proofs/consistency?old=${index(oldSize, '/old')}&new=${index(newSize, '/new')}`;
    return this.#json('GET', path, undefined, assertConsistencyProofV1);
  }

  /**
   * Imports an IMVU from its exit bundle (spec/exit-bundle.md §8), signed by this client's
   * key, which must be the bundle's owner; `manifest` is the SHA-256 hex of its manifest.json.
   * The signature covers the bundle's exact bytes. Never retried (a POST). `secrets`, the
   * bundle's sealed secrets opened by the owner, travel in a header the signed query names
   * by digest (`encodeImportSecrets`). `bundle` is the bytes, or the path of a bundle file,
   * which is hashed and then streamed, so a bundle of many GiB never sits in memory.
   */
  async importBundle(bundle: Uint8Array | string, manifest: string, secrets?: ImportSecrets): Promise<ImportReport> {
    const wire = secrets === undefined ? undefined : encodeImportSecrets(secrets);
    const path = `/v1/imports?manifest=${seg(manifest)}${wire === undefined ? '' : `&secrets=${wire.digest}`}`;
    const headers = wire === undefined ? {} : { [IMPORT_SECRETS_HEADER]: wire.header };
    const body = typeof bundle === 'string' ? await fileBody(bundle) : bundle;
    const value = jsonBody('POST', path, await this.#t.send('POST', path, body, { contentType: 'application/x-tar', headers }));
    assertImportReportV1(value);
    return value;
  }

  /** Each component's health; a degraded appliance answers 503 with the same report. */
  async health(): Promise<HealthReport> {
    const r = await this.#t.send('GET', '/healthz', undefined, { accept: [503] });
    const value = jsonBody('GET', '/healthz', r);
    assertHealth(value);
    return value;
  }

  /** Closes the connections this client opened. */
  close(): Promise<void> {
    return this.#t.close();
  }

  #json<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body: object | undefined, check: (x: unknown) => asserts x is T): Promise<T> {
    return sendJson(this.#t, method, path, body, check);
  }
}

function assertImvuList(x: unknown): asserts x is Imvu[] {
  if (!Array.isArray(x)) throw new NexusError('PAYLOAD_INVALID', 'the IMVU list is not an array', { field: '' });
  for (const item of x) assertImvuV1(item);
}

function assertHealth(x: unknown): asserts x is HealthReport {
  const r = x as { status?: unknown; components?: unknown } | null;
  if (typeof r !== 'object' || r === null || typeof r.status !== 'string' || typeof r.components !== 'object' || r.components === null) {
    throw new NexusError('PAYLOAD_INVALID', 'the health report has no status and components', { field: '' });
  }
}

/** A file as a request body: its size and SHA-256, streamed once to compute them. */
async function fileBody(file: string): Promise<FileBody> {
  try {
    const { size, sha256 } = await hashFile(file);
    return { file, size, sha256: fromHex(sha256) };
  } catch (cause) {
    throw new NexusError('INPUT_INVALID', `cannot read the bundle file ${file}`, { field: '/bundle', cause });
  }
}
