import type { BundleSource, HeadProof } from '@nexus-cos/sdk';

/**
 * The point an export is anchored at, pinned when it starts: the signed checkpoint (by tree
 * size) that commits the IMVU's head, with that head proof. The checkpointer keeps heads for
 * its latest checkpoint only, so the proof is taken at the pin, not recomputed later.
 */
export interface ExportAnchor {
  readonly treeSize: number;
  readonly head: HeadProof;
}

/**
 * One part of an exit bundle (the record, DNS, policies, the ledger; later mail and
 * compute). A section only lists its files, each with its size up front and its content
 * opened on demand, so the builder streams them one at a time and memory stays flat.
 */
export interface BundleSection {
  readonly name: string;
  /**
   * `anchor` is the checkpoint the manifest names: state that the ledger proves (the chain,
   * its proofs) is read as of it, however long the files before it take to stream.
   */
  files(imvu: string, anchor?: ExportAnchor): AsyncIterable<BundleSource>;
  /**
   * True when listing this IMVU's files copies data first (mailbox snapshots, flattened VM
   * disks). The plan then does not list the sections just to announce a size: an export
   * that would copy a disk twice is worse than one without a progress total.
   */
  costly?(imvu: string): boolean;
}

/** Canonical JSON bytes as a source: the usual form of a small bundle file. */
export { bytesSource } from '@nexus-cos/sdk';
