import { randomBytes } from 'node:crypto';
import {
  DNS_TRANSFER_MEDIA_TYPE, ENVELOPE_MEDIA_TYPE, NexusError, canonicalBytes, sha256, signJsonSync, toHex,
  type Domain, type DomainChallenge, type DnsTransfer, type DriftReport, type Envelope, type ZoneExport,
} from '@nexus-cos/sdk';
import {
  CHALLENGE_LIFETIME_MS, CHALLENGE_TTL, applyToState, challengeMatches, challengeName, challengeValue,
  emptyDigest, normalizeState, parseZoneName, stateDigest, validateChange, type RRset, type ZoneOptions, type ZoneState,
} from '../domain/dns/index.js';
import type { Admitted } from '../gatekeeper/gatekeeper.js';
import { timestamp } from '../ports/clock.js';
import type { Dns, DnssecMaterial } from '../ports/dns.js';
import type { BoundDomain, DomainStore } from '../ports/domain-store.js';
import type { TxtResolver } from '../ports/resolver.js';
import type { Caller } from './api.js';
import type { ServiceContext } from './context.js';
import { checkServed, dnsItem, recoverZones, type Recovery } from './dns-state.js';
import { auditItem, decisionDigest } from './effects.js';
import { assertReader } from './reads.js';
import { assertMaySee, requireImvu } from './views.js';

/** What the DNS service is built from, besides the shared service context. */
export interface DnsDeps {
  readonly dns: Dns;
  readonly store: DomainStore;
  /** The public DNS the TXT challenge is checked against (gate 6). */
  readonly resolver: TxtResolver;
  /** SOA and NS of every zone we host. */
  readonly zone: ZoneOptions;
  /** A fresh challenge token (default: 256 random bits, base64url). */
  readonly token?: () => string;
}

/** RRsets as the wire schema types them (mutable arrays). */
const wire = (rrsets: readonly RRset[]): Domain['rrsets'] => rrsets.map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, records: [...r.records] }));

/** How long a transfer authorization stays valid. */
export const TRANSFER_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/**
 * Domains and their zones: claim by TXT challenge (gate 6), bind and serve signed, change
 * RRsets (gate 7), export, transfer, unbind. Every change is admitted first, applied to
 * Knot, then recorded as a `dns_change` entry whose `after` digest names the zone state
 * kept beside it, so the ledger alone says what each zone holds.
 */
export class Domains {
  readonly #dnssec = new Map<string, DnssecMaterial>();

  constructor(private readonly x: ServiceContext, private readonly d: DnsDeps) {}

  claim(c: Caller, imvu: string, domainIn: string): Promise<DomainChallenge> {
    const domain = parseZoneName(domainIn, '/domain');
    return this.x.serial.run(async () => {
      const r = requireImvu(this.x.registry, imvu);
      const admitted = await this.x.gatekeeper.admit({ action: 'domain.claim', actor: c.actor, resource: `domain:${domain}`, imvu, proof: c.proof, params: { domain } });
      const bound = this.d.store.domain(domain);
      if (bound !== undefined) throw new NexusError('CONFLICT', `${domain} is already bound${bound.imvu === r.id ? ' to this IMVU' : ''}`, { field: '/domain' });
      const now = this.x.clock.now();
      const token = (this.d.token ?? (() => randomBytes(32).toString('base64url')))();
      const expiresAt = new Date(now.getTime() + CHALLENGE_LIFETIME_MS).toISOString();
      await this.x.ledger.appendMany([auditItem(admitted, imvu, c.actor)]);
      this.d.store.putClaim({ domain, imvu, token, createdAt: now.toISOString(), expiresAt });
      return { domain, imvu, record: { name: challengeName(domain), type: 'TXT', ttl: CHALLENGE_TTL, value: challengeValue(token) }, expiresAt };
    });
  }

  /**
   * Checks the challenge in the public DNS, then (gate 6 judges the result) serves the zone
   * with its SOA and NS, DNSSEC-signed, and returns its DS records for the registrar.
   */
  async bind(c: Caller, imvu: string, domainIn: string): Promise<Domain> {
    const domain = parseZoneName(domainIn, '/domain');
    // Outside the queue: a slow resolver must not hold every other change up.
    const claim = this.d.store.claim(domain, imvu);
    const now = timestamp(this.x.clock);
    const found = claim !== undefined && claim.verifiedAt === undefined && claim.expiresAt > now
      && challengeMatches(await this.d.resolver.txt(challengeName(domain)), claim.token);
    return this.x.serial.run(async () => {
      // Inside the queue: the store's writer may hold another change's open transaction.
      if (found && this.d.store.claim(domain, imvu)?.token === claim.token) this.d.store.markVerified(domain, imvu, now);
      const r = requireImvu(this.x.registry, imvu);
      const admitted = await this.x.gatekeeper.admit({
        action: 'domain.bind', actor: c.actor, resource: `domain:${domain}`, imvu, proof: c.proof, storagePool: r.storagePool, params: { domain },
      });
      if (this.d.store.domain(domain) !== undefined) throw new NexusError('CONFLICT', `${domain} is already bound`, { field: '/domain' });
      await this.d.dns.createZone(domain, this.d.zone);
      try {
        const state = normalizeState(domain, (await this.d.dns.readZone(domain)).rrsets);
        const bound: BoundDomain = { domain, imvu, boundAt: timestamp(this.x.clock), rrsets: state.rrsets, digest: stateDigest(state) };
        await this.d.store.change((w) => {
          w.bind(bound);
          w.dropClaims(domain);
        }, () => this.x.ledger.appendMany([auditItem(admitted, imvu, c.actor), dnsItem(imvu, c.actor, emptyDigest(domain), state)]));
        return await this.#view(bound, true);
      } catch (e) {
        // Nothing was recorded: the zone must not stay served.
        await this.d.dns.deleteZone(domain).catch(() => undefined);
        throw e;
      }
    });
  }

  /** Applies RRset changes atomically (all or none), then records and meters them. */
  change(c: Caller, imvu: string, domainIn: string, rrsets: readonly unknown[]): Promise<Domain> {
    const domain = parseZoneName(domainIn, '/domain');
    const change = validateChange(domain, rrsets);
    return this.x.serial.run(async () => {
      requireImvu(this.x.registry, imvu);
      const admitted = await this.x.gatekeeper.admit({
        action: 'dns.change', actor: c.actor, resource: `domain:${domain}`, imvu, proof: c.proof,
        params: { zone: domain, records: change.map((m) => ({ name: m.name, type: m.type })) },
      });
      const bound = this.#bound(imvu, domain);
      const check = await checkServed(this.d.dns, bound);
      if (check.status !== 'ok') throw new NexusError('DNS_DRIFT', `${domain} is not serving what the ledger recorded (${check.status}); reconcile it first`, { field: '/domain' });
      const before: ZoneState = { zone: domain, rrsets: bound.rrsets };
      const after = applyToState(before, change);
      if (stateDigest(after) === bound.digest) return this.#view(bound);
      await this.#apply(admitted, c.actor, bound, after, () => this.d.dns.applyChange(domain, change), change.length);
      return this.#view(this.#bound(imvu, domain));
    });
  }

  /** The owner's answer to drift: make Knot serve the recorded state again, and log that it did. */
  reconcile(c: Caller, imvu: string, domainIn: string): Promise<Domain> {
    const domain = parseZoneName(domainIn, '/domain');
    return this.x.serial.run(async () => {
      requireImvu(this.x.registry, imvu);
      const known = this.d.store.domain(domain);
      const admitted = await this.x.gatekeeper.admit({
        action: 'dns.change', actor: c.actor, resource: `domain:${domain}`, imvu, proof: c.proof,
        params: { zone: domain, records: (known?.rrsets ?? []).map((m) => ({ name: m.name, type: m.type })) },
      });
      const bound = this.#bound(imvu, domain);
      const check = await checkServed(this.d.dns, bound);
      if (check.status === 'ok') return this.#view(bound);
      if (check.status === 'missing') await this.d.dns.createZone(domain, this.d.zone);
      const recorded: ZoneState = { zone: domain, rrsets: bound.rrsets };
      // The entry's `before` is what was served, so the ledger shows the drift it undid.
      const served: BoundDomain = { ...bound, digest: check.served ?? bound.digest };
      await this.#apply(admitted, c.actor, served, recorded, () => this.d.dns.restore(domain, bound.rrsets), bound.rrsets.length);
      return this.#view(this.#bound(imvu, domain), true);
    });
  }

  async get(c: Caller, imvu: string, domainIn: string): Promise<Domain> {
    return this.#view(this.#readable(c, imvu, domainIn), true);
  }

  async list(c: Caller, imvu: string): Promise<Domain[]> {
    const facts = this.x.facts();
    assertReader(c, facts);
    assertMaySee(facts, this.x.registry, c.actor, requireImvu(this.x.registry, imvu));
    return Promise.all(this.d.store.domainsOf(imvu).map((b) => this.#view(b, true)));
  }

  /** What Knot serves compared with what the ledger recorded. */
  /**
   * Start-up consistency (dns-state.ts recoverZones), in the same queue as every change, so
   * it may also run after the API is up: when a system-run knotd answered late.
   */
  recover(): Promise<Recovery[]> {
    return this.x.serial.run(() => recoverZones(this.d.dns, this.d.store, this.x.ledger, this.d.zone));
  }

  async drift(c: Caller, imvu: string, domainIn: string): Promise<DriftReport> {
    return checkServed(this.d.dns, this.#readable(c, imvu, domainIn));
  }

  /** The zone as a master file with its DNSSEC material, and the digest the ledger recorded. */
  async export(c: Caller, imvu: string, domainIn: string): Promise<ZoneExport> {
    const b = this.#readable(c, imvu, domainIn);
    const [zonefile, dnssec] = [await this.d.dns.exportZone(b.domain), await this.d.dns.dnssec(b.domain)];
    return { domain: b.domain, imvu, digest: b.digest, rrsets: wire(b.rrsets), zonefile, dnssec: { dnskey: [...dnssec.dnskey], ds: [...dnssec.ds] } };
  }

  /** A platform-signed authorization releasing the domain to `to`, logged with the owner's decision. */
  transfer(c: Caller, imvu: string, domainIn: string, to: string): Promise<Envelope> {
    const domain = parseZoneName(domainIn, '/domain');
    return this.x.serial.run(async () => {
      const r = requireImvu(this.x.registry, imvu);
      const admitted = await this.x.gatekeeper.admit({ action: 'domain.transfer', actor: c.actor, resource: `domain:${domain}`, imvu, proof: c.proof, params: { domain, to } });
      const b = this.#bound(imvu, domain);
      const now = this.x.clock.now();
      const payload: DnsTransfer = {
        v: 1, domain, imvu, owner: r.owner, releasedTo: to, zoneDigest: b.digest, ds: [...(await this.d.dns.dnssec(domain)).ds],
        decision: decisionDigest(admitted), issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + TRANSFER_LIFETIME_MS).toISOString(),
      };
      const envelope = signJsonSync(DNS_TRANSFER_MEDIA_TYPE, payload, [this.x.platform]);
      const bytes = canonicalBytes(envelope);
      const audit = auditItem(admitted, imvu, c.actor);
      await this.x.ledger.appendMany([{ draft: audit.draft, documents: [{ digest: toHex(sha256(bytes)), mediaType: ENVELOPE_MEDIA_TYPE, bytes }] }]);
      return envelope;
    });
  }

  /** Stops serving the domain and removes its zone, journal and keys; the ledger records the empty state. */
  unbind(c: Caller, imvu: string, domainIn: string): Promise<void> {
    const domain = parseZoneName(domainIn, '/domain');
    return this.x.serial.run(async () => {
      requireImvu(this.x.registry, imvu);
      const admitted = await this.x.gatekeeper.admit({ action: 'domain.unbind', actor: c.actor, resource: `domain:${domain}`, imvu, proof: c.proof, params: { domain } });
      const b = this.#bound(imvu, domain);
      this.#dnssec.delete(domain);
      await this.d.dns.deleteZone(domain);
      await this.d.store.change((w) => {
        w.unbind(domain);
        w.dropClaims(domain);
      }, () => this.x.ledger.appendMany([auditItem(admitted, imvu, c.actor), dnsItem(imvu, c.actor, b.digest, { zone: domain, rrsets: [] })]));
    });
  }

  /**
   * Sends a change to Knot and records it. A pending marker is durable before Knot is
   * touched and leaves with the ledger entry, so a crash between the two is told apart from
   * drift at start-up. If the ledger refuses, Knot is put back to `bound`'s state.
   */
  async #apply(admitted: Admitted, actor: string, bound: BoundDomain, after: ZoneState, send: () => Promise<unknown>, rrsets: number): Promise<void> {
    const { domain, imvu } = bound;
    const decision = decisionDigest(admitted);
    const dedupe = `dns_change\n${decision}`;
    const digest = stateDigest(after);
    this.d.store.setPending({ domain, dedupe, rrsets: after.rrsets, digest });
    try {
      await send();
    } catch (e) {
      await this.d.store.change((w) => w.clearPending(domain), async () => undefined);
      throw e;
    }
    const usage = {
      draft: {
        kind: 'usage' as const, imvu, actor, id: decision, source: 'nexus-cos/dns', type: 'dns.change', subject: `domain:${domain}`,
        meter: 'dns.rrsets', quantity: String(rrsets), unit: 'rrset',
      },
    };
    const stored = this.d.store.domain(domain) ?? bound;
    try {
      await this.d.store.change((w) => {
        w.setState(domain, after.rrsets, digest);
        w.clearPending(domain);
      }, () => this.x.ledger.appendMany([auditItem(admitted, imvu, actor), { ...dnsItem(imvu, actor, bound.digest, after), dedupe }, usage]));
    } catch (e) {
      // Undo at Knot; if that fails too, the pending marker lets start-up finish the job.
      const undone = await this.d.dns.restore(domain, stored.rrsets).then(() => true, () => false);
      if (undone) await this.d.store.change((w) => w.clearPending(domain), async () => undefined).catch(() => undefined);
      throw e;
    }
  }

  #bound(imvu: string, domain: string): BoundDomain {
    const b = this.d.store.domain(domain);
    if (b === undefined || b.imvu !== imvu) throw new NexusError('NOT_FOUND', `${domain} is not bound to ${imvu}`, { field: '/domain' });
    return b;
  }

  #readable(c: Caller, imvu: string, domainIn: string): BoundDomain {
    const domain = parseZoneName(domainIn, '/domain');
    const facts = this.x.facts();
    assertReader(c, facts);
    assertMaySee(facts, this.x.registry, c.actor, requireImvu(this.x.registry, imvu));
    return this.#bound(imvu, domain);
  }

  /**
   * A domain as the API shows it. DNSSEC material costs two keymgr runs, so a change's
   * answer reuses what this process last read (the KSK, hence the DS, does not roll on its
   * own); reads (`fresh`) always ask keymgr.
   */
  async #view(b: BoundDomain, fresh = false): Promise<Domain> {
    let sec = fresh ? undefined : this.#dnssec.get(b.domain);
    if (sec === undefined) {
      sec = await this.d.dns.dnssec(b.domain);
      this.#dnssec.set(b.domain, sec);
    }
    return { domain: b.domain, imvu: b.imvu, boundAt: b.boundAt, digest: b.digest, rrsets: wire(b.rrsets), dnssec: { dnskey: [...sec.dnskey], ds: [...sec.ds] } };
  }
}
