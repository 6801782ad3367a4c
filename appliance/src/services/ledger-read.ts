import { NexusError, type ConsistencyProof, type InclusionProof, type LedgerSlice, type TrustedRoot } from '@nexus-cos/sdk';
import { consistencyArtifact, inclusionArtifact, sliceArtifact } from '../ledger/proofs.js';
import { platformTrustedRoot } from '../ledger/trusted-root.js';
import type { Caller, LedgerReadService } from './api.js';
import type { ServiceContext } from './context.js';
import { assertReader } from './reads.js';
import { assertMaySee, requireImvu } from './views.js';

/** Ledger evidence: the trust root, checkpoints and proofs anyone may verify offline. */
export class LedgerReads implements LedgerReadService {
  constructor(private readonly x: ServiceContext) {}

  /** The origin and platform key (with its validity period) a verifier trusts; notes are signed under the origin's name. */
  trustedRoot(): TrustedRoot {
    return platformTrustedRoot(this.x.ledger, this.x.platform.publicKey.id);
  }

  /** The latest signed checkpoint. Never signs one on demand: this read is public. */
  checkpoint(): string {
    const latest = this.x.ledger.checkpointer.latest;
    if (latest === undefined) throw new NexusError('NOT_FOUND', 'no checkpoint has been signed yet', { field: '/checkpoint' });
    return latest.note;
  }

  /**
   * The IMVU's whole chain with the proof that a signed checkpoint commits its head. If the
   * latest checkpoint lags the chain, one is signed first, so the slice is current; only
   * those who may read the IMVU can cause that.
   */
  slice(c: Caller, imvu: string): LedgerSlice {
    const facts = this.x.facts();
    assertReader(c, facts);
    assertMaySee(facts, this.x.registry, c.actor, requireImvu(this.x.registry, imvu));
    const { ledger } = this.x;
    const head = ledger.chains.head(imvu);
    if (head === undefined) throw new NexusError('NOT_FOUND', `${imvu} has no ledger entries`, { field: '/id' });
    const committed = ledger.checkpointer.latest?.heads.find((h) => h.chain === imvu);
    if (committed?.seq !== String(head.seq)) ledger.checkpoint();
    return sliceArtifact(ledger, imvu);
  }

  /** Entries in the ledger (for metrics). */
  size(): number {
    return this.x.ledger.tree.size;
  }

  inclusion(index: number): InclusionProof {
    return inclusionArtifact(this.x.ledger, index);
  }

  consistency(oldSize: number, newSize: number): ConsistencyProof {
    const have = (n: number): boolean => this.x.ledger.checkpointer.at(n) !== undefined;
    if (!have(oldSize) || !have(newSize)) throw new NexusError('NOT_FOUND', 'both sizes must be signed checkpoints', { field: have(oldSize) ? '/new' : '/old' });
    return consistencyArtifact(this.x.ledger, oldSize, newSize);
  }
}
