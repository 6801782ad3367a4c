import type { BundleSource } from '@nexus-cos/sdk';

/**
 * One part of an exit bundle (the record, DNS, policies, the ledger; later mail and
 * compute). A section only lists its files, each with its size up front and its content
 * opened on demand, so the builder streams them one at a time and memory stays flat.
 */
export interface BundleSection {
  readonly name: string;
  files(imvu: string): AsyncIterable<BundleSource>;
}

/** Canonical JSON bytes as a source: the usual form of a small bundle file. */
export { bytesSource } from '@nexus-cos/sdk';
