import { Hypervisor as Connection, DomainGetXMLDescFlags, DomainState, type Domain } from '@unraid/libvirt';
import { NexusError } from '@nexus-cos/sdk';
import { assertHostName } from '../../domain/compute/names.js';
import type { CommandRunner } from '../../ports/command-runner.js';
import type { DomainStatus, Hypervisor, InterfaceCounters } from '../../ports/hypervisor.js';
import { portable } from './portable-xml.js';
import { interfaceTargets, parseDomifstat } from './virsh-parse.js';

const STATES: Partial<Record<DomainState, DomainStatus['state']>> = {
  [DomainState.RUNNING]: 'running',
  [DomainState.BLOCKED]: 'running',
  [DomainState.SHUTOFF]: 'shutoff',
  [DomainState.PAUSED]: 'paused',
};

/** What the adapter needs: the connection URI, the domain type, and virsh for the rest. */
export interface LibvirtOptions {
  readonly uri: string;
  readonly domainType: 'qemu' | 'kvm';
  readonly runner: CommandRunner;
}

/**
 * The Hypervisor port over @unraid/libvirt (domains) and virsh through the command runner
 * for what the binding lacks (snapshots, interface stats). The binding's LibvirtError
 * carries no usable code (always -1), so failures become HYPERVISOR_FAILED with its text.
 */
export class LibvirtHypervisor implements Hypervisor {
  readonly domainType: 'qemu' | 'kvm';
  readonly #conn: Connection;
  readonly #uri: string;
  readonly #runner: CommandRunner;
  #open: Promise<void> | undefined;

  constructor(o: LibvirtOptions) {
    this.domainType = o.domainType;
    this.#uri = o.uri;
    this.#runner = o.runner;
    this.#conn = new Connection({ uri: o.uri });
  }

  define(xml: string): Promise<void> {
    return this.#do('define', async (c) => {
      await c.domainDefineXML(xml);
    });
  }

  start(name: string): Promise<void> {
    return this.#on(name, 'start', (c, d) => c.domainCreate(d));
  }

  shutdown(name: string): Promise<void> {
    return this.#on(name, 'shutdown', (c, d) => c.domainShutdown(d));
  }

  destroy(name: string): Promise<void> {
    return this.#on(name, 'destroy', (c, d) => c.domainDestroy(d));
  }

  async undefine(name: string, withSnapshots: boolean): Promise<void> {
    // The binding cannot drop snapshot metadata, and libvirt refuses to undefine without it.
    if (withSnapshots) await this.#virsh(['undefine', name, '--snapshots-metadata']);
    else await this.#on(name, 'undefine', (c, d) => c.domainUndefine(d));
  }

  async status(name: string): Promise<DomainStatus | undefined> {
    assertHostName(name);
    const c = await this.#connected();
    let d: Domain;
    try {
      d = await c.domainLookupByName(name);
    } catch {
      return undefined;
    }
    return this.#do('status', async () => {
      const info = await c.domainGetInfo(d);
      const id = await c.domainGetID(d);
      return {
        state: STATES[info.state] ?? 'other',
        id: typeof id === 'number' && id >= 0 ? id : null,
        // cpuTime arrives as a double of nanoseconds: exact up to 2^53 ns (104 days of CPU).
        cpuTimeNs: BigInt(Math.trunc(info.cpuTime)),
        memoryKiB: info.memory,
      };
    });
  }

  xml(name: string): Promise<string> {
    return this.#on(name, 'xml', (c, d) => c.domainGetXMLDesc(d, DomainGetXMLDescFlags.INACTIVE));
  }

  async portableXml(name: string): Promise<string> {
    return portable(await this.xml(name));
  }

  async interfaceCounters(name: string): Promise<InterfaceCounters> {
    assertHostName(name);
    const live = await this.#on(name, 'xml', (c, d) => c.domainGetXMLDesc(d, DomainGetXMLDescFlags.NONE));
    let rx = 0n;
    let tx = 0n;
    for (const dev of interfaceTargets(live)) {
      const out = await this.#virsh(['domifstat', name, dev]);
      const s = parseDomifstat(out);
      rx += s.rxBytes;
      tx += s.txBytes;
    }
    return { rxBytes: rx, txBytes: tx };
  }

  async snapshot(name: string, snapshot: string): Promise<void> {
    assertHostName(name);
    await this.#virsh(['snapshot-create-as', '--domain', name, '--name', snapshot, '--atomic']);
  }

  async snapshots(name: string): Promise<string[]> {
    assertHostName(name);
    const out = await this.#virsh(['snapshot-list', '--domain', name, '--name']);
    return out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  }

  async deleteSnapshot(name: string, snapshot: string): Promise<void> {
    assertHostName(name);
    await this.#virsh(['snapshot-delete', '--domain', name, '--snapshotname', snapshot]);
  }

  async close(): Promise<void> {
    if (this.#open === undefined) return;
    await this.#open.catch(() => undefined);
    this.#open = undefined;
    await this.#conn.connectClose().catch(() => undefined);
  }

  async #virsh(args: readonly string[]): Promise<string> {
    const r = await this.#runner.run(['virsh', '-c', this.#uri, ...args], { timeoutMs: 60_000 });
    return r.stdout;
  }

  #connected(): Promise<Connection> {
    // The first qemu:///system connection takes seconds while libvirt probes the host: once.
    this.#open ??= this.#conn.connectOpen().catch((cause: unknown) => {
      this.#open = undefined;
      throw new NexusError('HYPERVISOR_FAILED', `cannot connect to ${this.#uri}: ${message(cause)}`, { cause, field: '/hypervisor' });
    });
    return this.#open.then(() => this.#conn);
  }

  async #on<T>(name: string, op: string, f: (c: Connection, d: Domain) => Promise<T>): Promise<T> {
    assertHostName(name);
    return this.#do(op, async (c) => f(c, await c.domainLookupByName(name)), name);
  }

  async #do<T>(op: string, f: (c: Connection) => Promise<T>, name = ''): Promise<T> {
    const c = await this.#connected();
    try {
      return await f(c);
    } catch (cause) {
      throw new NexusError('HYPERVISOR_FAILED', `${op}${name === '' ? '' : ` ${name}`}: ${message(cause)}`, { cause, field: '/hypervisor' });
    }
  }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n', 1)[0]?.slice(0, 300) ?? '';
}
