import { isNexusError } from '@nexus-cos/sdk';
import { METERS, advance, type Cursor, type Sample } from '../../domain/compute/meter.js';
import { vmResource } from '../../domain/compute/names.js';
import { recordUsage } from '../../ledger/meter.js';
import type { VmRecord } from '../../ports/compute-store.js';
import type { ComputeContext } from './deps.js';

/** Where compute usage events say they come from (CloudEvents `source`). */
export const USAGE_SOURCE = 'urn:nexus-cos:compute';

/**
 * Samples every VM's counters into signed usage events. Each sample's events and the
 * advanced cursor are committed together, so a restart resumes from the last billed
 * counters. Event ids are `<vm>/<cursor seq>/<meter>` and the ledger refuses a second
 * event with the same id: should a crash ever land between the two commits, the retry is
 * refused (DUPLICATE_EVENT) and that interval is skipped, never billed twice.
 */
export class Metering {
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(private readonly x: ComputeContext) {}

  /** Samples every VM now; returns the number of usage events recorded. */
  sampleAll(): Promise<number> {
    return this.x.serial.run(async () => {
      let n = 0;
      for (const v of this.x.store.vms()) n += await this.sampleOne(v);
      return n;
    });
  }

  /** Samples one VM (callers hold the serial queue); returns the events recorded. */
  async sampleOne(v: VmRecord): Promise<number> {
    const resource = vmResource(v.imvu, v.spec.name);
    const cursor = this.x.store.cursor(resource);
    const status = await this.x.hypervisor.status(v.host);
    if (cursor === undefined || status === undefined) return 0;
    const running = status.state === 'running' || status.state === 'paused';
    const net = running ? await this.x.hypervisor.interfaceCounters(v.host) : { rxBytes: 0n, txBytes: 0n };
    const sample: Sample = {
      // Counters restart with each boot; a shut-off domain has none, so it keeps its last boot.
      boot: status.id === null ? cursor.boot : String(status.id),
      at: this.x.clock.now().getTime(), running, cpuTimeNs: status.cpuTimeNs, rxBytes: net.rxBytes, txBytes: net.txBytes,
      memoryMiB: v.spec.memoryMiB, diskGiB: v.spec.diskGiB,
    };
    const { usage, cursor: next } = advance(cursor, sample);
    const time = new Date(sample.at).toISOString();
    const events = METERS.filter((m) => usage[m.key] > 0n).map((m) => ({
      imvu: v.imvu, actor: this.x.platform.publicKey.id, id: `${v.host}/${next.seq}/${m.meter}`, source: USAGE_SOURCE,
      type: 'dev.nexus-cos.usage', subject: resource, time, meter: m.meter, quantity: usage[m.key], unit: m.unit,
    }));
    try {
      await this.x.store.change((w) => w.putCursor(resource, next), () => Promise.all(events.map((e) => recordUsage(this.x.ledger, e))));
    } catch (e) {
      if (!isNexusError(e) || e.code !== 'DUPLICATE_EVENT') throw e;
      await this.x.store.change((w) => w.putCursor(resource, skip(next)), () => Promise.resolve());
      return 0;
    }
    return events.length;
  }

  /** Samples every `intervalMs` until stop(); a slow sample delays the next, never overlaps it. */
  start(intervalMs: number, onError: (e: unknown) => void): void {
    this.stop();
    this.#timer = setInterval(() => {
      if (this.#busy) return;
      this.#busy = true;
      this.sampleAll().catch(onError).finally(() => {
        this.#busy = false;
      });
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

// Past an id the ledger already holds: the counters are taken as billed, the seq moves on.
function skip(c: Cursor): Cursor {
  return { ...c, seq: c.seq + 1 };
}
