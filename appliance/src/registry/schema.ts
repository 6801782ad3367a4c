/**
 * The registry's tables: current state, which the ledger's entries explain. Unlike the
 * ledger, rows change (a status, a quota); the history of every change is in the ledger.
 * Consents are the exception: a withdrawal ends a row instead of deleting it.
 */
export const REGISTRY_SCHEMA = `
CREATE TABLE IF NOT EXISTS identities (
  did               TEXT PRIMARY KEY,
  status            TEXT NOT NULL CHECK (status IN ('active', 'rotated', 'revoked')),
  successor         TEXT,
  recovery_keys     TEXT NOT NULL,
  jurisdiction      TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  status_changed_at TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS imvus (
  n             INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  owner         TEXT NOT NULL,
  jurisdiction  TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'exiting', 'exited')),
  quotas        TEXT NOT NULL,
  storage_pool  TEXT NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS imvus_owner ON imvus (owner);
CREATE TABLE IF NOT EXISTS consents (
  n             INTEGER PRIMARY KEY,
  imvu          TEXT NOT NULL REFERENCES imvus (id),
  purpose       TEXT NOT NULL,
  granted_by    TEXT NOT NULL,
  granted_at    TEXT NOT NULL,
  withdrawn_at  TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS consents_imvu ON consents (imvu);
-- At most one active consent per purpose.
CREATE UNIQUE INDEX IF NOT EXISTS consents_active ON consents (imvu, purpose) WHERE withdrawn_at IS NULL;
CREATE TABLE IF NOT EXISTS delegations (
  imvu      TEXT NOT NULL REFERENCES imvus (id),
  delegate  TEXT NOT NULL,
  scopes    TEXT NOT NULL,
  PRIMARY KEY (imvu, delegate)
) STRICT;
CREATE INDEX IF NOT EXISTS delegations_delegate ON delegations (delegate);
`;
