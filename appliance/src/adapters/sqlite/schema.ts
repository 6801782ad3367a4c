/**
 * The ledger's tables. Triggers make the database itself refuse UPDATE and DELETE, so a
 * bug or a careless operator's SQL cannot rewrite history quietly; only someone who drops
 * the triggers can, and start-up verification (gate 5) catches that.
 */
export const LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  idx     INTEGER PRIMARY KEY,
  chain   TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  leaf    BLOB    NOT NULL CHECK (length(leaf) = 32),
  bytes   BLOB    NOT NULL,
  dedupe  TEXT    UNIQUE,
  UNIQUE (chain, seq)
) STRICT;
CREATE TABLE IF NOT EXISTS checkpoints (
  size    INTEGER PRIMARY KEY,
  note    TEXT    NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS documents (
  digest     TEXT PRIMARY KEY,
  media_type TEXT NOT NULL,
  bytes      BLOB NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS documents_no_update BEFORE UPDATE ON documents
  BEGIN SELECT RAISE(ABORT, 'documents are append-only'); END;
CREATE TRIGGER IF NOT EXISTS documents_no_delete BEFORE DELETE ON documents
  BEGIN SELECT RAISE(ABORT, 'documents are append-only'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
  BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
  BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_no_update BEFORE UPDATE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_no_delete BEFORE DELETE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
`;
