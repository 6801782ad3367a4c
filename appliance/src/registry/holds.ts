import type Database from 'better-sqlite3';
import { NexusError } from '@nexus-cos/sdk';
import type { LegalHoldRecord } from '../ports/registry.js';

/**
 * Legal holds on exit (gate 15). A release ends a row instead of deleting it, like a
 * consent withdrawal: the registry keeps who held and who released, the ledger why.
 */
export const HOLDS_SCHEMA = `
CREATE TABLE IF NOT EXISTS legal_holds (
  n               INTEGER PRIMARY KEY,
  imvu            TEXT NOT NULL REFERENCES imvus (id),
  reason          TEXT NOT NULL,
  signed_by       TEXT NOT NULL,
  envelope_digest TEXT NOT NULL,
  placed_at       TEXT NOT NULL,
  released_at     TEXT,
  released_by     TEXT
) STRICT;
-- At most one hold in force per IMVU.
CREATE UNIQUE INDEX IF NOT EXISTS legal_holds_active ON legal_holds (imvu) WHERE released_at IS NULL;
`;

interface HoldRow { imvu: string; reason: string; signed_by: string; envelope_digest: string; placed_at: string }

/** The read: the hold in force on an IMVU. */
export function holdReads(db: Database.Database): { legalHold(imvu: string): LegalHoldRecord | undefined } {
  const active = db.prepare('SELECT * FROM legal_holds WHERE imvu = ? AND released_at IS NULL');
  return {
    legalHold: (imvu) => {
      const r = active.get(imvu) as HoldRow | undefined;
      return r === undefined ? undefined : { imvu: r.imvu, reason: r.reason, signedBy: r.signed_by, envelopeDigest: r.envelope_digest, placedAt: r.placed_at };
    },
  };
}

/** The writes, inside a registry change. */
export function holdWriter(db: Database.Database): { placeHold(h: LegalHoldRecord): void; releaseHold(imvu: string, at: string, by: string): void } {
  const place = db.prepare('INSERT INTO legal_holds (imvu, reason, signed_by, envelope_digest, placed_at) VALUES (?, ?, ?, ?, ?)');
  const release = db.prepare('UPDATE legal_holds SET released_at = ?, released_by = ? WHERE imvu = ? AND released_at IS NULL');
  return {
    placeHold: (h) => {
      place.run(h.imvu, h.reason, h.signedBy, h.envelopeDigest, h.placedAt);
    },
    releaseHold: (imvu, at, by) => {
      if (release.run(at, by, imvu).changes === 0) throw new NexusError('NOT_FOUND', `no legal hold on ${imvu}`, { field: '/registry' });
    },
  };
}
