import { Envelope } from '../schemas/envelope.js';
import { assertSchema } from '../schemas/common.js';
import {
  assertDomainChallengeV1, assertDomainListV1, assertDomainV1, assertDriftReportV1, assertZoneExportV1,
  type Domain, type DomainChallenge, type DriftReport, type RRsetChangeBody, type ZoneExport,
} from '../schemas/dns.js';
import { seg, sendJson } from './json.js';
import type { Transport } from './transport.js';

/** An IMVU's domains and zones (spec/dns.md): `client.domains`. */
export class DomainsClient {
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
  }

  /** Starts a claim: publish the returned TXT record in the domain's current DNS, then `verify`. */
  claim(imvu: string, domain: string): Promise<DomainChallenge> {
    return sendJson(this.#t, 'POST', this.#base(imvu), { domain }, assertDomainChallengeV1);
  }

  /** Checks the challenge and binds: the zone is served, signed; the answer carries its DS. */
  verify(imvu: string, domain: string): Promise<Domain> {
    return sendJson(this.#t, 'POST', `${this.#base(imvu, domain)}/verify`, undefined, assertDomainV1);
  }

  list(imvu: string): Promise<Domain[]> {
    return sendJson(this.#t, 'GET', this.#base(imvu), undefined, assertDomainListV1);
  }

  get(imvu: string, domain: string): Promise<Domain> {
    return sendJson(this.#t, 'GET', this.#base(imvu, domain), undefined, assertDomainV1);
  }

  /** Replaces or deletes RRsets, all or none. */
  changeRRsets(imvu: string, domain: string, rrsets: readonly RRsetChangeBody[]): Promise<Domain> {
    return sendJson(this.#t, 'PATCH', `${this.#base(imvu, domain)}/rrsets`, { rrsets }, assertDomainV1);
  }

  drift(imvu: string, domain: string): Promise<DriftReport> {
    return sendJson(this.#t, 'GET', `${this.#base(imvu, domain)}/drift`, undefined, assertDriftReportV1);
  }

  /** After drift: serve the recorded state again (logged). */
  reconcile(imvu: string, domain: string): Promise<Domain> {
    return sendJson(this.#t, 'POST', `${this.#base(imvu, domain)}/reconcile`, undefined, assertDomainV1);
  }

  export(imvu: string, domain: string): Promise<ZoneExport> {
    return sendJson(this.#t, 'GET', `${this.#base(imvu, domain)}/export`, undefined, assertZoneExportV1);
  }

  /** A platform-signed DnsTransfer envelope releasing the domain to `to`. */
  transfer(imvu: string, domain: string, to: string): Promise<Envelope> {
    return sendJson(this.#t, 'POST', `${this.#base(imvu, domain)}/transfer`, { to }, (x): asserts x is Envelope => assertSchema(Envelope, x, 'PAYLOAD_INVALID'));
  }

  /** Stops serving the domain and removes its zone, journal and keys. */
  async unbind(imvu: string, domain: string): Promise<void> {
    await this.#t.send('DELETE', this.#base(imvu, domain), undefined);
  }

  #base(imvu: string, domain?: string): string {
    return `/v1/imvus/${seg(imvu)}/domains${domain === undefined ? '' : `/${seg(domain)}`}`;
  }
}
