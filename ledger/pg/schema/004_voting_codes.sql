-- 004: the hashes of residents' one-time voting codes, outside the ledger (issue 6).
--
-- Only SHA-256 hashes of codes are stored, never a code, and never who got which letter. A batch
-- is stored before its codes.issued entry, which records its digest; the service admits a code
-- only when the ledger holds its batch's digest. Rows are never changed or deleted: a used code is
-- known by its ballot's nullifier on the ledger, not here.

CREATE TABLE voting_codes (
    round        text  NOT NULL CHECK (round ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(round) <= 64),
    code_hash    bytea NOT NULL CHECK (length(code_hash) = 32),
    batch_digest bytea NOT NULL CHECK (length(batch_digest) = 32),
    PRIMARY KEY (round, code_hash)
);

GRANT SELECT, INSERT ON voting_codes TO :runtime_role;
