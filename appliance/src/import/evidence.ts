import { NexusError, namedDigests } from '@nexus-cos/sdk';
import { readEntry } from '../ledger/read-entry.js';
import type { StoredDocument } from '../ports/ledger-store.js';
import type { Caller } from '../services/api.js';
import type { ServiceContext } from '../services/context.js';
import { assertReader } from '../services/reads.js';
import { assertMaySee, requireImvu } from '../services/views.js';

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * The signed documents an IMVU's chain names, for whoever may see the IMVU: zone states,
 * decisions, rate cards and, after an import, the imported chain, its head proof and the
 * bundle's manifest (the evidence the `import` entry names).
 */
export class EvidenceReads {
  constructor(private readonly x: ServiceContext) {}

  document(c: Caller, imvu: string, digest: string): StoredDocument {
    const facts = this.x.facts();
    assertReader(c, facts);
    const r = requireImvu(this.x.registry, imvu);
    assertMaySee(facts, this.x.registry, c.actor, r);
    if (!DIGEST.test(digest)) throw new NexusError('INPUT_INVALID', 'a document is named by 64 lower-case hex digits', { field: '/digest' });
    const head = this.x.ledger.chains.head(imvu);
    const named = new Set<string>();
    for (const e of head === undefined ? [] : this.x.ledger.store.chain(imvu, 0, head.seq)) namedDigests(readEntry(e), named);
    const doc = named.has(digest) ? this.x.ledger.store.document(digest) : undefined;
    if (doc === undefined) throw new NexusError('NOT_FOUND', `${imvu}'s chain names no document ${digest}`, { field: '/digest' });
    return doc;
  }
}
