import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NexusError, isNexusError } from '@nexus-cos/sdk';
import {
  RR_TYPES, canonicalRdata, fqdn, initialZoneFile, parseName, parseZoneName, planChange, validateChange,
  type ChangePlan, type PresentRRset, type RRType, type RRset, type ZoneOptions,
} from '../../domain/dns/index.js';
import type { CommandRunner } from '../../ports/command-runner.js';
import type { DnssecKeyExport, DnssecMaterial, Dns, ZoneContent } from '../../ports/dns.js';
import { importKeys, listedKeys, removeKeyFiles, removeKeys, type KeymgrTarget } from './key-import.js';
import { zoneKeys } from './keystore.js';
import { KeyedMutex } from './mutex.js';
import { updateScript, type UpdateTarget } from './update-script.js';
import { parseZoneRead, type ReadRecord } from './zone-read.js';

/** Where the knotd instance keeps things; all absolute (knotd is given absolute paths only). */
export interface KnotDnsOptions {
  readonly runner: CommandRunner;
  /** knotd's control socket. */
  readonly socket: string;
  /** knotd's configuration database, which keymgr reads to find the key store. */
  readonly confdb: string;
  /** Zone files are written here before a zone is configured. */
  readonly zonesDir: string;
  /** Scratch space for `zone-flush +outdir`. */
  readonly exportDir: string;
  /** Where knotd answers DNS, for UPDATEs (loopback). */
  readonly server: UpdateTarget;
  /** The TSIG key file (knsupdate `-k` format) knotd accepts UPDATEs with. */
  readonly tsigKeyFile: string;
  readonly knotc?: string;
  readonly keymgr?: string;
  /** knotd's PEM key store (`<storage>/keys/keys` by default); without it keys are not exported. */
  readonly keystoreDir?: string;
  readonly knsupdate?: string;
  /** How long createZone waits for the new zone to be served (default 10 s). */
  readonly loadTimeoutMs?: number;
}

const SUPPORTED: ReadonlySet<string> = new Set(RR_TYPES);
// What Knot itself maintains in a signed zone; never the owner's, never compared.
const KNOT_OWNED: ReadonlySet<string> = new Set(['SOA', 'DNSKEY', 'RRSIG', 'NSEC', 'NSEC3', 'NSEC3PARAM', 'CDS', 'CDNSKEY']);

/** A record type as knotc printed it, checked before it goes into an UPDATE. */
function servedType(t: string): string {
  if (!/^[A-Z][A-Z0-9]{0,15}$/.test(t)) throw new NexusError('DNS_BACKEND_FAILED', `knotd served a record type we cannot name: ${JSON.stringify(t.slice(0, 20))}`);
  return t;
}
// knotc's global configuration transaction is one per server too.
const CONF_LOCK = '\u0000conf';

/** The Dns port over knotc and keymgr, through the injected CommandRunner. */
export class KnotDns implements Dns {
  private readonly locks = new KeyedMutex();

  constructor(private readonly o: KnotDnsOptions) {}

  async createZone(zoneInput: string, opts: ZoneOptions): Promise<void> {
    const zone = parseZoneName(zoneInput);
    const text = initialZoneFile(zone, opts);
    await this.locks.with(zone, () =>
      this.locks.with(CONF_LOCK, async () => {
        if (await this.exists(zone)) throw new NexusError('CONFLICT', `zone ${zone} already exists`, { field: '/zone' });
        mkdirSync(this.o.zonesDir, { recursive: true, mode: 0o700 });
        writeFileSync(this.zoneFile(zone), text, { mode: 0o600 });
        const z = `zone[${zone}]`;
        await this.confTransaction([
          ['conf-set', z],
          ['conf-set', `${z}.file`, this.zoneFile(zone)],
          ['conf-set', `${z}.dnssec-signing`, 'on'],
          ['conf-set', `${z}.zonefile-load`, 'difference-no-serial'],
          ['conf-set', `${z}.journal-content`, 'all'],
          // The SOA serial is the Unix time of the last change (knotd increments instead when
          // that would not move it): a zone imported on another appliance then serves a serial
          // above the one its old server's secondaries hold, which they would otherwise ignore
          // as older (RFC 1982). Per zone, not in knot.conf's template: a changed knot.conf is
          // re-imported, which drops every zone until recovery serves it again.
          ['conf-set', `${z}.serial-policy`, 'unixtime'],
        ]).catch((e: unknown) => {
          rmSync(this.zoneFile(zone), { force: true });
          throw e;
        });
      }),
    );
    await this.waitServed(zone);
  }

  /**
   * Reads the zone, plans the change against it, and sends the plan as one TSIG-signed
   * DNS UPDATE guarded by the SOA it was planned against: knotd applies all of it or none,
   * and 1 000 records cost one message instead of 1 000 knotc calls (PLATFORM-NOTES).
   */
  async applyChange(zoneInput: string, rrsets: readonly unknown[]): Promise<{ serial: number }> {
    const zone = parseZoneName(zoneInput);
    const change = validateChange(zone, rrsets);
    return this.locks.with(zone, async () => {
      const { soa, records } = await this.readAll(zone);
      return this.send(zone, soa, planChange(present(records), change));
    });
  }

  /**
   * Makes the zone serve exactly `rrsets` (a full state, apex NS included): what differs is
   * replaced, and everything else the owner could not have put there (an RRset of any type
   * Knot does not own, added out of band) is deleted, in one guarded UPDATE.
   */
  async restore(zoneInput: string, rrsets: readonly RRset[]): Promise<{ serial: number }> {
    const zone = parseZoneName(zoneInput);
    const desired = validateChange(zone, rrsets);
    return this.locks.with(zone, async () => {
      const { soa, records } = await this.readAll(zone);
      const wanted = new Set(desired.map((d) => `${d.name} ${d.type}`));
      const served = present(records);
      const stray = served.filter((r) => !wanted.has(`${r.name} ${r.type}`));
      const supported = stray.filter((r) => SUPPORTED.has(r.type)).map((r) => ({ name: r.name, type: r.type as RRType, delete: true as const }));
      const plan = planChange(served, [...desired, ...supported]);
      const foreign = stray.filter((r) => !SUPPORTED.has(r.type)).map((r) => ({ name: parseName(r.name, '/served', 'owner'), type: servedType(r.type) }));
      return this.send(zone, soa, { unset: [...plan.unset, ...foreign], set: plan.set });
    });
  }

  /** Every record but the SOA and what Knot's signer owns, plus the SOA rdata. */
  private async readAll(zone: string): Promise<{ soa: string; records: ReadRecord[] }> {
    const all = parseZoneRead((await this.knotc('zone-read', zone).catch((e: unknown) => this.backend(e, zone))).stdout);
    const soa = all.find((r) => r.type === 'SOA' && r.name === zone);
    if (soa === undefined) throw new NexusError('DNS_BACKEND_FAILED', `zone ${zone} is not loaded`, { field: '/zone' });
    return { soa: soa.rdata, records: all.filter((r) => !KNOT_OWNED.has(r.type)) };
  }

  /**
   * Sends a plan as one TSIG-signed DNS UPDATE guarded by the SOA it was planned against:
   * knotd applies all of it or none, and 1 000 records cost one message instead of 1 000
   * knotc calls (PLATFORM-NOTES). A zone edited meanwhile fails the prerequisite.
   */
  private async send(zone: string, soa: string, plan: ChangePlan): Promise<{ serial: number }> {
    if (plan.unset.length === 0 && plan.set.length === 0) return { serial: soaSerial(soa) };
    const script = updateScript(zone, soa, plan, this.o.server);
    await this.o.runner.run([this.o.knsupdate ?? 'knsupdate', '-v', '-t', '10', '-k', this.o.tsigKeyFile], { input: script }).catch((e: unknown) => this.backend(e, zone));
    return { serial: await this.serial(zone) };
  }

  async readZone(zoneInput: string): Promise<ZoneContent> {
    const zone = parseZoneName(zoneInput);
    const recs = await this.locks.with(zone, () => this.knotc('zone-read', zone).catch((e: unknown) => this.backend(e, zone)));
    const all = parseZoneRead(recs.stdout);
    const soa = all.find((r) => r.type === 'SOA' && r.name === zone);
    const serial = soaSerial(soa?.rdata ?? '');
    if (!Number.isInteger(serial)) throw new NexusError('DNS_BACKEND_FAILED', `zone ${zone} is not loaded`, { field: '/zone' });
    const rrsets = present(all.filter((r) => SUPPORTED.has(r.type)), true).map(
      (p): RRset => ({ name: p.name, type: p.type as RRType, ttl: p.ttl, records: p.records }),
    );
    const foreign = [...new Set(all.filter((r) => !SUPPORTED.has(r.type) && !KNOT_OWNED.has(r.type)).map((r) => `${r.name} ${r.type}`))].sort();
    return { zone, serial, rrsets, foreign };
  }

  async exportZone(zoneInput: string): Promise<string> {
    const zone = parseZoneName(zoneInput);
    return this.locks.with(zone, async () => {
      mkdirSync(this.o.exportDir, { recursive: true, mode: 0o700 });
      const dir = mkdtempSync(join(this.o.exportDir, 'flush-'));
      try {
        await this.knotc('zone-flush', zone, '+outdir', dir).catch((e: unknown) => this.backend(e, zone));
        return readFileSync(join(dir, `${zone}.zone`), 'utf8');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  async dnssec(zoneInput: string): Promise<DnssecMaterial> {
    const zone = parseZoneName(zoneInput);
    if (!(await this.exists(zone))) throw new NexusError('DNS_ZONE_UNKNOWN', `no zone ${zone}`, { field: '/zone' });
    const keymgr = async (what: string, type: string): Promise<string[]> => {
      const r = await this.o.runner.run([this.o.keymgr ?? 'keymgr', '-C', this.o.confdb, zone, what]).catch((e: unknown) => this.backend(e, zone));
      const prefix = `${fqdn(zone)} ${type} `;
      return r.stdout.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length).trim());
    };
    const [dnskey, ds] = [await keymgr('dnskey', 'DNSKEY'), await keymgr('ds', 'DS')];
    if (dnskey.length === 0 || ds.length === 0) throw new NexusError('DNS_BACKEND_FAILED', `zone ${zone} has no signing key yet`, { field: '/zone' });
    return { dnskey, ds };
  }

  async dnssecKeys(zoneInput: string): Promise<DnssecKeyExport[]> {
    const zone = parseZoneName(zoneInput);
    if (this.o.keystoreDir === undefined) throw new NexusError('DNS_BACKEND_FAILED', 'no key store is configured', { field: '/zone' });
    if (!(await this.exists(zone))) throw new NexusError('DNS_ZONE_UNKNOWN', `no zone ${zone}`, { field: '/zone' });
    const r = await this.o.runner.run([this.o.keymgr ?? 'keymgr', '-C', this.o.confdb, '-j', zone, 'list']).catch((e: unknown) => this.backend(e, zone));
    return zoneKeys(r.stdout, this.o.keystoreDir);
  }

  /** Imports the keys for a zone knotd does not serve yet, so createZone signs with them. */
  async importDnssecKeys(zoneInput: string, keys: readonly DnssecKeyExport[]): Promise<void> {
    const zone = parseZoneName(zoneInput);
    await this.locks.with(zone, async () => {
      if (await this.exists(zone)) throw new NexusError('CONFLICT', `zone ${zone} already exists`, { field: '/zone' });
      await importKeys(this.keymgrTarget(), zone, keys).catch((e: unknown) => this.backend(e, zone));
    });
  }

  /** Removes the zone's keys and the key files of `ids` from the key store (the undo of importDnssecKeys). */
  async removeDnssecKeys(zoneInput: string, ids: readonly string[]): Promise<void> {
    const zone = parseZoneName(zoneInput);
    await this.locks.with(zone, () => removeKeys(this.keymgrTarget(), zone, ids).catch((e: unknown) => this.backend(e, zone)));
  }

  private keymgrTarget(): KeymgrTarget {
    return { runner: this.o.runner, keymgr: this.o.keymgr ?? 'keymgr', confdb: this.o.confdb, scratchDir: this.o.exportDir, ...(this.o.keystoreDir === undefined ? {} : { keystoreDir: this.o.keystoreDir }) };
  }

  async deleteZone(zoneInput: string): Promise<void> {
    const zone = parseZoneName(zoneInput);
    await this.locks.with(zone, () =>
      this.locks.with(CONF_LOCK, async () => {
        if (!(await this.exists(zone))) throw new NexusError('DNS_ZONE_UNKNOWN', `no zone ${zone}`, { field: '/zone' });
        // Which PEM files are the zone's, asked while it is still configured: zone-purge forgets
        // the keys in the KASP database but leaves their private key files in the key store.
        const target = this.keymgrTarget();
        const ids = target.keystoreDir === undefined ? [] : (await listedKeys(target, zone).catch((e: unknown) => this.backend(e, zone))).map((k) => k.id);
        await this.confTransaction([['conf-unset', `zone[${zone}]`]]);
        // +orphan: the zone is no longer configured; this removes its journal, timers and key records.
        await this.knotc('zone-purge', '-f', '+orphan', zone).catch((e: unknown) => this.backend(e, zone));
        removeKeyFiles(target, ids);
        rmSync(this.zoneFile(zone), { force: true });
      }),
    );
  }

  private zoneFile(zone: string): string {
    return join(this.o.zonesDir, `${zone}.zone`);
  }

  private knotc(...args: string[]) {
    return this.o.runner.run([this.o.knotc ?? 'knotc', '-b', '-s', this.o.socket, '-t', '10', ...args]);
  }

  private async exists(zone: string): Promise<boolean> {
    try {
      await this.knotc('zone-status', zone);
      return true;
    } catch (e) {
      if (isNexusError(e) && /no such zone/.test(e.message)) return false;
      throw e;
    }
  }

  private async confTransaction(steps: readonly string[][]): Promise<void> {
    await this.knotc('conf-begin');
    try {
      for (const s of steps) await this.knotc(...s);
      await this.knotc('conf-commit');
    } catch (e) {
      await this.knotc('conf-abort').catch(() => undefined);
      throw new NexusError('DNS_BACKEND_FAILED', 'knotd refused the configuration change', { cause: e });
    }
  }

  private async serial(zone: string): Promise<number> {
    const r = await this.knotc('zone-read', zone, '@', 'SOA');
    return soaSerial(parseZoneRead(r.stdout).find((x) => x.type === 'SOA')?.rdata ?? '');
  }

  private async waitServed(zone: string): Promise<void> {
    const end = Date.now() + (this.o.loadTimeoutMs ?? 10_000);
    for (;;) {
      const ok = await this.knotc('zone-read', zone, '@', 'DNSKEY').then((r) => r.stdout.includes(' DNSKEY '), () => false);
      if (ok) return;
      if (Date.now() > end) throw new NexusError('DNS_BACKEND_FAILED', `zone ${zone} was not loaded and signed in time`, { field: '/zone' });
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Maps a knotc failure to our codes; our own coded refusals pass through. */
  private backend(e: unknown, zone: string): never {
    if (isNexusError(e) && e.code !== 'COMMAND_FAILED') throw e;
    if (isNexusError(e) && /no such zone/.test(e.message)) throw new NexusError('DNS_ZONE_UNKNOWN', `no zone ${zone}`, { field: '/zone', cause: e });
    throw new NexusError('DNS_BACKEND_FAILED', `knotd refused the change to ${zone}; it was aborted`, { field: '/zone', cause: e });
  }
}

/** The serial field of SOA rdata (NaN when it is not one). */
const soaSerial = (rdata: string): number => (rdata === '' ? Number.NaN : Number(rdata.split(' ')[2]));

/** Groups records into RRsets, canonicalising what we can parse (strictly when asked). */
function present(recs: readonly ReadRecord[], strict = false): PresentRRset[] {
  const sets = new Map<string, { name: string; type: string; ttl: number; records: string[] }>();
  for (const r of recs) {
    const key = `${r.name} ${r.type}`;
    const set = sets.get(key) ?? sets.set(key, { name: r.name, type: r.type, ttl: r.ttl, records: [] }).get(key);
    let rdata = r.rdata;
    if (SUPPORTED.has(r.type)) {
      try {
        rdata = canonicalRdata(r.type as RRType, r.rdata, `/${r.name}/${r.type}`);
      } catch (e) {
        if (strict) throw new NexusError('DNS_BACKEND_FAILED', `served record at ${r.name} ${r.type} is outside our grammar`, { cause: e });
      }
    }
    set?.records.push(rdata);
  }
  return [...sets.values()]
    .map((s) => ({ ...s, records: s.records.sort() }))
    .sort((a, b) => (a.name === b.name ? a.type.localeCompare(b.type) : a.name.localeCompare(b.name)));
}
