import { Resolver } from 'node:dns/promises';
import { NexusError } from '@nexus-cos/sdk';
import type { TxtResolver } from '../../ports/resolver.js';

// Answers that say "no such record" rather than "no answer".
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

/** TxtResolver over node's c-ares resolver, with its own servers (`host` or `host:port`). */
export class NodeTxtResolver implements TxtResolver {
  readonly #r: Resolver;

  /** `servers` empty: the system's resolvers (/etc/resolv.conf). */
  constructor(servers: readonly string[], timeoutMs = 2_000) {
    this.#r = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (servers.length > 0) this.#r.setServers([...servers]);
  }

  async txt(name: string): Promise<string[][]> {
    try {
      return await this.#r.resolveTxt(name);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && ABSENT.has(code)) return [];
      throw new NexusError('DNS_BACKEND_FAILED', `no resolver answered for ${name} (${typeof code === 'string' ? code : 'error'})`, { field: '/domain', cause: e });
    }
  }
}
