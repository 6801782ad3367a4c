import {
  TRUSTED_ROOT_MEDIA_TYPE, bytesSource, canonicalBytes, namedDigests,
  type BundleSource, type TrustedRoot,
} from '@nexus-cos/sdk';
import type { Ledger } from '../../ledger/ledger.js';
import { consistencyArtifact, headArtifact } from '../../ledger/proofs.js';
import { readEntry } from '../../ledger/read-entry.js';
import { platformTrustedRoot } from '../../ledger/trusted-root.js';
import type { StoredEntry } from '../../ports/ledger-store.js';
import type { BundleSection, ExportAnchor } from '../section.js';
import { inclusionLine, inclusionLineSize } from './inclusion-lines.js';
import { linesSource } from './lines.js';

const NDJSON = 'application/x-ndjson';
/** Entries read from the store per page, so a long chain is never held whole. */
const PAGE = 4096;

function* chainOf(ledger: Ledger, imvu: string, lastSeq: number): Generator<StoredEntry> {
  for (let from = 0; from <= lastSeq; from += PAGE) yield* ledger.store.chain(imvu, from, Math.min(from + PAGE - 1, lastSeq));
}

function* indexesOf(ledger: Ledger, imvu: string, lastSeq: number): Generator<number> {
  for (let from = 0; from <= lastSeq; from += PAGE) yield* ledger.store.chainIndexes(imvu, from, Math.min(from + PAGE - 1, lastSeq));
}

/** The trust root a verifier may start from (it should prefer its own copy). */
export function trustedRootOf(ledger: Ledger, publicKey: string): TrustedRoot {
  return platformTrustedRoot(ledger, publicKey);
}

/**
 * The IMVU's whole chain exactly as signed, the proof that the latest checkpoint commits
 * its head, each entry's inclusion proof in that checkpoint's tree, consistency proofs from
 * every earlier checkpoint that covers part of the chain, and every document an entry names.
 * The caller makes sure the latest checkpoint commits the head (`commitHead`).
 */
export function ledgerSection(ledger: Ledger, platformKey: string): BundleSection {
  return {
    name: 'ledger',
    async *files(imvu: string, at?: ExportAnchor): AsyncGenerator<BundleSource> {
      yield bytesSource('trusted-root.json', TRUSTED_ROOT_MEDIA_TYPE, canonicalBytes(trustedRootOf(ledger, platformKey)));
      // The checkpoint the manifest names, pinned by the builder; checkpoints signed while
      // earlier sections streamed (and the entries they cover) are not part of this export.
      const anchor = at?.treeSize ?? ledger.checkpointer.latestSize;
      const head = at?.head ?? headArtifact(ledger, imvu);
      const last = Number(head.seq);
      // One walk over the chain sizes both line files (tar writes sizes first; an inclusion
      // line's length follows from its index and the tree size) and finds the documents
      // entries name, in order of first mention; the streams below walk it once more each.
      let chainSize = 0;
      let inclusionSize = 0;
      const named = new Set<string>();
      for (const e of chainOf(ledger, imvu, last)) {
        chainSize += e.bytes.length + 1;
        inclusionSize += inclusionLineSize(e.index, anchor) + 1;
        for (const d of namedDigests(readEntry(e))) named.add(d);
      }
      // The head proof before the chain it commits: a verifier that has it can check the
      // chain while it streams in (spec/exit-bundle.md §1), rather than after the whole archive.
      yield bytesSource('ledger/head-proof.json', 'application/json', canonicalBytes(head));
      yield linesSource('ledger/chain.jsonl', NDJSON, function* () { for (const e of chainOf(ledger, imvu, last)) yield e.bytes; }, chainSize);
      yield linesSource('ledger/inclusion.jsonl', NDJSON, function* () {
        const prove = ledger.tree.prover(anchor);
        for (const index of indexesOf(ledger, imvu, last)) yield inclusionLine(index, prove(index));
      }, inclusionSize);
      const first = ledger.store.chainIndexes(imvu, 0, 0)[0] ?? anchor;
      const earlier = ledger.store.checkpoints().filter((c) => c.size > first && c.size < anchor);
      yield linesSource('ledger/consistency.jsonl', NDJSON, function* () {
        for (const c of earlier) yield canonicalBytes(consistencyArtifact(ledger, c.size, anchor));
      });
      for (const d of named) {
        const doc = ledger.store.document(d);
        if (doc !== undefined) yield bytesSource(`ledger/documents/${d}`, doc.mediaType, doc.bytes);
      }
    },
  };
}

/** Signs a checkpoint if the latest one does not yet commit the IMVU's current head. */
export function commitHead(ledger: Ledger, imvu: string): void {
  const head = ledger.chains.head(imvu);
  const committed = ledger.checkpointer.latest?.heads.find((h) => h.chain === imvu);
  if (head !== undefined && committed?.seq !== String(head.seq)) ledger.checkpoint();
}
