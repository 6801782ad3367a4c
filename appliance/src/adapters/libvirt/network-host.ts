import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NexusError, isNexusError } from '@nexus-cos/sdk';
import type { CommandRunner } from '../../ports/command-runner.js';
import type { NetworkHost } from '../../ports/hypervisor.js';

/** Table and network names that reach nft and virsh: checked here again, whoever calls. */
const NAME = /^[a-z][a-z0-9_-]{0,40}$/;

function checked(name: string): string {
  if (!NAME.test(name)) throw new NexusError('INPUT_INVALID', 'refusing a network or table name outside the strict grammar', { field: '/network' });
  return name;
}

/** Isolated libvirt networks through virsh, their rules through nft, both via the command runner. */
export class VirshNftNetworkHost implements NetworkHost {
  constructor(private readonly runner: CommandRunner, private readonly uri: string) {}

  async ensureNetwork(name: string, xml: string): Promise<void> {
    checked(name);
    const state = await this.#netState(name);
    if (state === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'nexus-net-'));
      try {
        const file = join(dir, 'network.xml');
        writeFileSync(file, xml, { mode: 0o600 });
        await this.#virsh(['net-define', file]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (state !== 'active') await this.#virsh(['net-start', name]);
  }

  async removeNetwork(name: string): Promise<void> {
    checked(name);
    const state = await this.#netState(name);
    if (state === 'active') await this.#virsh(['net-destroy', name]);
    if (state !== undefined) await this.#virsh(['net-undefine', name]);
  }

  async networkExists(name: string): Promise<boolean> {
    checked(name);
    return (await this.#netState(name)) !== undefined;
  }

  async applyRules(table: string, script: string): Promise<void> {
    checked(table);
    // One `nft -f` transaction: the old table goes and the new one comes, or neither.
    await this.runner.run(['nft', '-f', '-'], { input: script });
  }

  async listRules(table: string): Promise<string> {
    checked(table);
    try {
      return (await this.runner.run(['nft', 'list', 'table', 'inet', table])).stdout;
    } catch (e) {
      if (isNexusError(e) && /No such file or directory/.test(e.message)) return '';
      throw e;
    }
  }

  async removeRules(table: string): Promise<void> {
    checked(table);
    if ((await this.listRules(table)) !== '') await this.runner.run(['nft', 'delete', 'table', 'inet', table]);
  }

  async #netState(name: string): Promise<'active' | 'inactive' | undefined> {
    const out = await this.#virsh(['net-list', '--all', '--name']);
    if (!out.split('\n').map((l) => l.trim()).includes(name)) return undefined;
    const info = await this.#virsh(['net-info', name]);
    return /^Active:\s+yes/m.test(info) ? 'active' : 'inactive';
  }

  async #virsh(args: readonly string[]): Promise<string> {
    return (await this.runner.run(['virsh', '-c', this.uri, ...args], { timeoutMs: 60_000 })).stdout;
  }
}
