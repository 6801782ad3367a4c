import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NexusError, type ImportReport, type ImportSecrets, type LoadedTrustedRoot } from '@nexus-cos/sdk';
import { diffStates, emptyDigest, normalizeState, stateDigest, type ZoneState } from '../domain/dns/index.js';
import { storageCompatible } from '../domain/gates/rules/jurisdiction.js';
import type { Dns } from '../ports/dns.js';
import type { Caller } from '../services/api.js';
import type { ServiceContext } from '../services/context.js';
import type { DnsDeps } from '../services/domains.js';
import { dnsItem } from '../services/dns-state.js';
import { auditItem, consentItem, type EffectItem } from '../services/effects.js';
import type { PolicySources } from '../adapters/cedar/policy-files.js';
import { policiesSection } from '../exit/sections/policies.js';
import { openBundle, type BundleInput, type OpenedBundle } from './bundle.js';
import { capacityParams, vmResources } from './capacity.js';
import { DnssecImport, type ZoneKeysOutcome } from './dnssec-effect.js';
import { ComputeImport, type ComputeImportDeps } from './compute-effect.js';
import { importItem } from './link.js';
import { importedMailItems } from './mail-entries.js';
import { MailImport, type MailImportDeps } from './mail-effect.js';
import { NetworkImport } from './network-effect.js';
import { NETWORK_RULES_PATH } from '../exit/sections/network.js';
import { comparePolicies, type PolicyComparison } from './policies.js';

/** The owner's signed import request: it names the bundle by its manifest's digest. */
export interface ImportRequest {
  /** SHA-256 hex of the bundle's manifest.json. */
  readonly manifest: string;
}

/**
 * `nexus-cos import`: re-instantiates an IMVU from its exit bundle on this appliance, all or
 * nothing. The bundle is verified before anything else; the owner's signature (gate 2 binds
 * the request to the record's owner) authorizes it; zones are served and checked against
 * their recorded states; then the registry, the domain store and the ledger commit together.
 * Any failure deletes the zones it created, and the ledger holds only the refusal.
 */
export class Importer {
  constructor(
    private readonly x: ServiceContext,
    private readonly d: Pick<DnsDeps, 'dns' | 'store' | 'zone'> | undefined,
    /** This appliance's Cedar files, to compare with the bundle's (without them, every bundle policy file differs). */
    private readonly policies: PolicySources | undefined,
    /** Where imported mail goes (without it, a bundle with mail is refused). */
    private readonly mail?: MailImportDeps,
    /** Where imported VMs go (without it, a bundle with VMs is refused). */
    private readonly compute?: ComputeImportDeps,
    /** Where bundles and their VM disks are staged while an import runs (created 0700). */
    readonly staging: string = join(tmpdir(), 'nexus-imports'),
  ) {}

  /** `secrets`: the bundle's sealed secrets, opened by the owner's CLI and sent with the request. */
  async import(c: Caller, req: ImportRequest, bundle: BundleInput, trusted?: LoadedTrustedRoot, secrets?: ImportSecrets): Promise<ImportReport> {
    mkdirSync(this.staging, { recursive: true, mode: 0o700 });
    const dir = mkdtempSync(join(this.staging, 'import-'));
    try {
      return await this.#import(c, req, bundle, dir, trusted, secrets);
    } finally {
      // The staged disks were copied into their pool, or the import failed: either way they go.
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async #import(c: Caller, req: ImportRequest, bundle: BundleInput, staging: string, trusted?: LoadedTrustedRoot, secrets?: ImportSecrets): Promise<ImportReport> {
    // Verification is CPU work on the caller's bytes: outside the queue, before any effect.
    const b = await openBundle(bundle, staging, trusted);
    if (req.manifest !== b.anchor.manifest) throw new NexusError('INPUT_INVALID', 'the signed request names another bundle (manifest digest)', { field: '/manifest' });
    if (b.zones.length > 0 && this.d === undefined) throw new NexusError('INPUT_INVALID', 'the bundle has zones and this appliance serves no DNS', { field: `dns/${b.zones[0]?.zone ?? ''}` });
    const first = b.mail.domains[0]?.domain;
    if (first !== undefined && this.mail === undefined) throw new NexusError('INPUT_INVALID', 'the bundle has mail and this appliance serves no mail', { field: `mail/${first}/dkim.json` });
    const mail = this.mail === undefined ? undefined : new MailImport(this.mail, b.mail, secrets);
    mail?.assertPublished(b.zones);
    // The network before the VMs: it is created first, so it is the first thing B cannot carry.
    if (b.network !== undefined && this.compute === undefined) throw new NexusError('IMPORT_SECTION_UNSUPPORTED', 'the bundle has a network and this appliance has no compute configured; nothing was imported', { field: NETWORK_RULES_PATH });
    const vm = b.vms[0]?.spec.name;
    if (vm !== undefined && this.compute === undefined) throw new NexusError('IMPORT_SECTION_UNSUPPORTED', 'the bundle has VMs and this appliance has no compute configured; nothing was imported', { field: `compute/${vm}/spec.json` });
    const vms = this.compute === undefined ? undefined : new ComputeImport(this.compute, b.vms);
    const net = b.network === undefined || this.compute === undefined ? undefined : new NetworkImport(this.compute, b.record.row.id, b.network);
    // Before the commit: after it, a throw would reach the undo below and remove what was recorded.
    const policies = await this.#comparePolicies(b);
    // Before any effect: a zone whose keys the bundle seals needs them opened (spec §8).
    const keys = this.d === undefined ? undefined : new DnssecImport(this.d.dns, b.dnssec, secrets);
    const report = await this.x.serial.run(async () => {
      const { row, consents } = b.record;
      const active = consents.filter((k) => k.withdrawnAt === undefined).map((k) => k.purpose);
      const pool = this.#pool(row.storagePool, row.jurisdiction);
      // Gate 4: each VM's meter is attached while the import is judged, then stored with it.
      const detach = this.compute?.attachPending(vmResources(row.id, b)) ?? (() => undefined);
      const admitted = await this.x.gatekeeper.admit({
        action: 'imvu.import', actor: c.actor, resource: `imvu:${row.id}`, imvu: row.id, proof: c.proof, jurisdiction: row.jurisdiction,
        ...(pool === undefined ? {} : { storagePool: pool }), params: { owner: row.owner, consents: active, manifest: b.anchor.manifest, ...capacityParams(row.id, b) },
      }).finally(detach);
      for (const z of b.zones) {
        if (this.d?.store.domain(z.zone) !== undefined) throw new NexusError('CONFLICT', `${z.zone} is already bound on this appliance`, { field: `dns/${z.zone}/state.json` });
      }
      mail?.assertFree();
      await vms?.assertFree(row.id);
      await net?.assertFree();
      const created: string[] = [];
      const now = new Date(this.x.clock.now());
      const at = now.toISOString();
      const signed: ZoneKeysOutcome[] = [];
      try {
        for (const z of b.zones) signed.push(await this.#serve(this.d?.dns as Dns, z, created, keys as DnssecImport));
        mail?.write();
        // The network first: the VMs are defined on it, as vm.create defines them once it exists.
        await net?.write();
        await vms?.write(row.id, pool, net?.name);
        const items: EffectItem[] = [
          importItem(this.x.platform.publicKey.id, row.id, b),
          auditItem(admitted, row.id, c.actor),
          ...consents.filter((k) => k.withdrawnAt === undefined).map((k) => consentItem(row.id, c.actor, 'grant', k.purpose, k.grantedBy)),
          ...b.zones.map((z) => dnsItem(row.id, c.actor, emptyDigest(z.zone), z)),
          // What B's Maildirs now hold, so B's own exit proves it (spec/exit-bundle.md §8).
          ...(mail === undefined ? [] : importedMailItems(row.id, c.actor, b.mail)),
          // The network's notice before the VMs that join it (gate 13: declared, then in force).
          ...(net?.items(c.actor, at) ?? []),
          ...(vms?.items(row.id, c.actor) ?? []),
        ];
        const receipts = await this.x.registry.change((w) => {
          w.insertImvu({ ...row, storagePool: pool ?? '' });
          for (const k of consents) w.grantConsent(k);
        }, () => {
          mail?.register(row.id, row.owner);
          const bind = () => this.#bind(b.zones, row.id, at, items);
          // The compute store commits inside the registry's, both once the ledger append is durable.
          if (vms === undefined || (b.vms.length === 0 && net === undefined)) return bind();
          return (this.compute as ComputeImportDeps).store.change((w) => {
            net?.register(w, at);
            vms.register(w, row.id, pool ?? '', now);
          }, bind);
        });
        const link = receipts[0];
        if (link === undefined) throw new NexusError('LEDGER_UNAVAILABLE', 'the import entry has no receipt');
        return {
          imvu: row.id, trust: b.verified.trust, entries: b.verified.entries, zones: b.zones.map((z) => z.zone),
          policies, link: { seq: link.seq, hash: link.hash }, mailboxes: mail?.mailboxes() ?? [],
          ...(net === undefined || b.network === undefined ? {} : { network: { name: net.name, declared: b.network.declared } }),
          ...(signed.length === 0 ? {} : { dnssec: signed }),
        };
      } catch (e) {
        // Nothing was recorded: no zone may stay served, no mail stay written, no network or rule stay up.
        mail?.undo();
        await vms?.undo();
        await net?.undo();
        for (const zone of created.reverse()) await this.d?.dns.deleteZone(zone).catch(() => undefined);
        await keys?.undo();
        throw e;
      }
    });
    // After the commit and outside the queue (a start takes it): the VMs were imported; each
    // start is gated and audited by the compute service, and a failure is reported, not undone.
    return vms === undefined || b.vms.length === 0 ? report : { ...report, vms: await vms.start(c, report.imvu) };
  }

  /**
   * Serves one zone with exactly its recorded state, signed with its own keys when the bundle
   * carries them, and proves both by reading them back.
   */
  async #serve(dns: Dns, z: ZoneState, created: string[], keys: DnssecImport): Promise<ZoneKeysOutcome> {
    await keys.place(z.zone);
    await dns.createZone(z.zone, (this.d as NonNullable<typeof this.d>).zone);
    created.push(z.zone);
    if (z.rrsets.length > 0) await dns.restore(z.zone, z.rrsets);
    const served = normalizeState(z.zone, (await dns.readZone(z.zone)).rrsets);
    if (stateDigest(served) !== stateDigest(z)) {
      const d = diffStates(z, served);
      const what = Object.entries(d).filter(([, v]) => v.length > 0).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
      throw new NexusError('DNS_DRIFT', `${z.zone} does not serve the imported state (${what})`, { field: `dns/${z.zone}/state.json` });
    }
    return keys.check(z.zone);
  }

  /** Binds the zones in the domain store; the ledger append is the commit point of both stores. */
  #bind(zones: readonly ZoneState[], imvu: string, at: string, items: readonly EffectItem[]) {
    const append = () => this.x.ledger.appendMany(items.map((i) => (i.documents === undefined ? { draft: i.draft } : { draft: i.draft, documents: [...i.documents] })));
    if (this.d === undefined || zones.length === 0) return append();
    return this.d.store.change((w) => {
      for (const z of zones) w.bind({ domain: z.zone, imvu, boundAt: at, rrsets: z.rrsets, digest: stateDigest(z) });
    }, append);
  }

  async #comparePolicies(b: OpenedBundle): Promise<PolicyComparison> {
    const own = new Map<string, Uint8Array>();
    // Exactly what this appliance's own exit would carry.
    const section = this.policies === undefined ? undefined : policiesSection(this.policies);
    for await (const f of section?.files(b.record.row.id) ?? []) {
      const chunks: Uint8Array[] = [];
      for await (const c of f.open()) chunks.push(c);
      own.set(f.path, Buffer.concat(chunks));
    }
    return comparePolicies(b.digests, own);
  }

  /** The pool of the same name when it fits the jurisdiction (gate 14 judges it), else the first that does. */
  #pool(name: string, jurisdiction: string): string | undefined {
    const pools = this.x.storagePools;
    if (Object.hasOwn(pools, name)) return name;
    return Object.keys(pools).sort().find((p) => storageCompatible(pools[p] ?? '', jurisdiction));
  }
}

export type { OpenedBundle };
