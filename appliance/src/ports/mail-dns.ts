import type { RRset, RRsetChange } from '../domain/dns/types.js';

/** An RRset's key: its owner name and type. */
export type RRsetKey = Pick<RRset, 'name' | 'type'>;

/**
 * Publishes a domain's mail records. The composition root wires it to the gated DNS service
 * (gate 7 judges the change); tests wire it to a real Knot.
 */
export interface MailDnsPublisher {
  /** The RRsets now served at these keys (absent ones left out). */
  read(domain: string, keys: readonly RRsetKey[]): Promise<RRset[]>;
  /** Applies the changes, all or none; resolves once they are served. */
  publish(domain: string, changes: readonly RRsetChange[]): Promise<void>;
}
