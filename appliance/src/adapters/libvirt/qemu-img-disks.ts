import { existsSync, rmSync } from 'node:fs';
import { NexusError } from '@nexus-cos/sdk';
import type { CommandRunner } from '../../ports/command-runner.js';
import type { DiskStore } from '../../ports/hypervisor.js';

/** qcow2 disks through `qemu-img` (argv arrays via the command runner). */
export class QemuImgDisks implements DiskStore {
  constructor(private readonly runner: CommandRunner) {}

  async create(path: string, sizeGiB: number, backing?: string): Promise<void> {
    if (existsSync(path)) throw new NexusError('CONFLICT', 'a disk already exists at that path', { field: '/disk' });
    const base = backing === undefined ? [] : ['-b', backing, '-F', 'qcow2'];
    await this.runner.run(['qemu-img', 'create', '-q', '-f', 'qcow2', ...base, path, `${sizeGiB}G`]);
  }

  async flatten(from: string, to: string): Promise<void> {
    // convert writes one self-contained qcow2: no backing file the exit would lack.
    await this.runner.run(['qemu-img', 'convert', '-q', '-O', 'qcow2', from, to], { timeoutMs: 600_000 });
  }

  remove(path: string): Promise<void> {
    rmSync(path, { force: true });
    return Promise.resolve();
  }
}
